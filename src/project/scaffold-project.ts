import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfluxError } from '../errors/index.ts';
import { PROJECT_FILE } from './load-project.ts';
import { scaffoldFiles } from './scaffold-files.ts';

export interface ScaffoldOptions {
  /** Project name; defaults to the folder's name made into a valid one. */
  readonly name?: string;
}

export interface ScaffoldResult {
  readonly root: string;
  /** Files written or (for .gitignore) extended, relative to root. */
  readonly files: readonly string[];
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const IGNORE_LINE = '.conflux/';

/**
 * Writes a small working project into `dir` (created if missing). Never overwrites: an
 * existing conflux.yaml or any file the scaffold would write stops it before anything is
 * written; an existing .gitignore is extended instead.
 */
export async function scaffoldProject(dir: string, options: ScaffoldOptions = {}): Promise<ScaffoldResult> {
  const root = resolve(dir);
  const name = options.name ?? nameFromFolder(root);
  if (!NAME.test(name)) {
    throw new ConfluxError(
      'PROJECT_INVALID',
      `Project name "${name}" is not valid: use lowercase letters, digits and dashes, starting with a letter`,
      {
        details: { name },
      },
    );
  }
  if (existsSync(join(root, PROJECT_FILE))) {
    throw new ConfluxError(
      'PROJECT_EXISTS',
      `${join(root, PROJECT_FILE)} already exists; conflux init never overwrites a project`,
      {
        details: { root },
      },
    );
  }
  const files = scaffoldFiles(name);
  const taken = Object.keys(files).filter((file) => existsSync(join(root, file)));
  if (taken.length > 0) {
    throw new ConfluxError(
      'PROJECT_EXISTS',
      `${root} already has ${taken.join(', ')}; move them away or init another folder`,
      {
        details: { root, files: taken },
      },
    );
  }
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), text, { flag: 'wx' });
  }
  await ensureIgnored(join(root, '.gitignore'));
  return { root, files: [...Object.keys(files), '.gitignore'] };
}

async function ensureIgnored(path: string): Promise<void> {
  if (!existsSync(path)) {
    await writeFile(path, `# the embedded store and runtime state\n${IGNORE_LINE}\n`);
    return;
  }
  const text = await readFile(path, 'utf8');
  if (text.split('\n').some((line) => line.trim() === IGNORE_LINE || line.trim() === '.conflux')) return;
  await appendFile(path, `${text.endsWith('\n') || text === '' ? '' : '\n'}${IGNORE_LINE}\n`);
}

function nameFromFolder(root: string): string {
  const cleaned = basename(root)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 63);
  return cleaned === '' ? 'conflux-project' : cleaned;
}
