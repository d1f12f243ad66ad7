import { createLogger } from '../observability/index.ts';
import { type Core, openCore, readSettings } from '../platform/index.ts';
import { loadProject } from '../project/index.ts';
import { projectDirectory } from './project-dir.ts';

/**
 * Opens a project's store and vault without starting servers, for commands that manage
 * state (`key`, `secret`, `runs`). Safe beside a running server: SQLite runs in WAL mode and
 * PostgreSQL is shared by design.
 */
export async function withCore<T>(
  projectOption: string | undefined,
  use: (core: Core) => Promise<T>,
): Promise<T> {
  const root = projectDirectory(projectOption);
  const settings = readSettings(process.env);
  const { project } = await loadProject(root);
  const core = await openCore({
    projectRoot: root,
    settings,
    environment: project?.settings.environment ?? 'dev',
    logger: createLogger({ level: settings.logLevel === 'info' ? 'warn' : settings.logLevel, stderr: true }),
  });
  try {
    return await use(core);
  } finally {
    await core.close();
  }
}
