import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfluxError } from '../errors/index.ts';
import { generateOpenApi } from '../gateway/index.ts';
import { loadProject } from '../project/index.ts';
import { loadSystemDescription, type SystemDescription } from '../systems/index.ts';

/**
 * One side of `conflux api diff`: an OpenAPI file (.json/.yaml) as is; a project folder, or a
 * git ref (the project folder as committed there), turned into the OpenAPI document the gateway
 * would publish for `api` and `version`. A ref is read with `git archive`, never by checking
 * anything out, so the working tree is untouched.
 */
export async function loadApiDocument(
  source: string,
  options: { projectRoot: string; api?: string; version?: string },
): Promise<unknown> {
  if (existsSync(source) && statSync(source).isFile()) {
    const text = readFileSync(source, 'utf8');
    return source.endsWith('.json') ? (JSON.parse(text) as unknown) : (parse(text) as unknown);
  }
  if (existsSync(source) && statSync(source).isDirectory()) return documentOfProject(source, options);
  const extracted = extractRef(source, options.projectRoot);
  try {
    return await documentOfProject(extracted.projectDir, options);
  } finally {
    rmSync(extracted.dir, { recursive: true, force: true });
  }
}

async function documentOfProject(
  root: string,
  options: { api?: string; version?: string },
): Promise<unknown> {
  const loaded = await loadProject(root);
  if (loaded.project === undefined || loaded.problems.length > 0) {
    throw new ConfluxError(
      'GATEWAY_API_DIFF_FAILED',
      `The project at ${root} has ${loaded.problems.length} problem(s); run conflux validate there.`,
      {
        details: { problems: loaded.problems },
      },
    );
  }
  const project = loaded.project;
  const names = [...project.apis.keys()];
  const name = options.api ?? (names.length === 1 ? names[0] : undefined);
  const api = name === undefined ? undefined : project.apis.get(name);
  if (api === undefined) {
    throw new ConfluxError(
      'GATEWAY_API_DIFF_FAILED',
      `Say which API to compare with --api; the project has ${names.join(', ') || 'none'}.`,
    );
  }
  const version = options.version ?? api.versioning?.default;
  if (
    version !== undefined &&
    api.versioning !== undefined &&
    !api.versioning.versions.some((v) => v.name === version)
  ) {
    throw new ConfluxError(
      'GATEWAY_API_DIFF_FAILED',
      `API ${api.name} has no version ${version}; it has ${api.versioning.versions.map((v) => v.name).join(', ')}.`,
    );
  }
  const descriptions = new Map<string, SystemDescription>();
  for (const system of project.systems.values())
    descriptions.set(system.name, await loadSystemDescription(system.descriptionFile));
  return generateOpenApi(api, version, {
    describe: (system, operation) => descriptions.get(system)?.operations.get(operation),
  });
}

function extractRef(ref: string, projectRoot: string): { dir: string; projectDir: string } {
  const git = (args: string[], cwd = projectRoot) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new ConfluxError(
      'GATEWAY_API_DIFF_FAILED',
      `${ref} is neither a file, a folder nor a git commit of ${projectRoot}.`,
    );
  }
  const prefix = git(['rev-parse', '--show-prefix']).trim();
  const top = git(['rev-parse', '--show-toplevel']).trim();
  const dir = mkdtempSync(join(tmpdir(), 'conflux-api-diff-'));
  const archive = execFileSync('git', ['archive', '--format=tar', ref, '--', prefix === '' ? '.' : prefix], {
    cwd: top,
    maxBuffer: 512 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  return { dir, projectDir: join(dir, prefix) };
}
