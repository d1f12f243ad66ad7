import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfluxError } from '../errors/index.ts';

/** Resolves `--project` (default: the current folder) and checks it holds a conflux.yaml. */
export function projectDirectory(option: string | undefined): string {
  const root = resolve(option ?? '.');
  if (!existsSync(join(root, 'conflux.yaml'))) {
    throw new ConfluxError(
      'PROJECT_NOT_FOUND',
      `No conflux.yaml in ${root}. Run "conflux init" there, or pass --project <dir>.`,
    );
  }
  return root;
}
