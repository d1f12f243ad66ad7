import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectProblem } from '../../src/project/index.ts';

export const retailFixture = fileURLToPath(new URL('./fixtures/retail', import.meta.url));

const made: string[] = [];

/** A copy of the retail fixture in a temp folder, with `files` written over it (null deletes). */
export function projectWith(files: Record<string, string | null> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'conflux-project-'));
  made.push(root);
  cpSync(retailFixture, root, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    const path = join(root, file);
    if (text === null) rmSync(path);
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
  return root;
}

export function emptyDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'conflux-project-'));
  made.push(root);
  return root;
}

export function removeTempDirs(): void {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** `file:line:column rule` of each problem, the part tests pin exactly. */
export function where(problems: readonly ProjectProblem[]): string[] {
  return problems.map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.rule}`);
}
