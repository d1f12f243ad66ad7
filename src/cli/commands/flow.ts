import type { Command } from 'commander';
import { createFlowOperations } from '../../platform/index.ts';
import { loadProject } from '../../project/index.ts';
import { withCore } from '../offline-core.ts';
import type { Output } from '../output.ts';
import { projectDirectory } from '../project-dir.ts';

/** `conflux flow pause|resume|versions`: operate flows of a project (running or not). */
export function registerFlow(program: Command, output: (json: boolean) => Output): Command {
  const flow = program.command('flow').description('Pause, resume and inspect flows');
  const operate = (
    use: (ops: ReturnType<typeof createFlowOperations>) => Promise<unknown>,
    project?: string,
  ) =>
    withCore(project, async (core) => {
      const { project: loaded } = await loadProject(projectDirectory(project));
      return use(createFlowOperations(core.store, () => loaded?.flows ?? new Map()));
    });
  flow
    .command('pause')
    .description('Pause a flow: triggers are still accepted and queued, no run is executed until resumed')
    .argument('<name>', 'flow name')
    .option('--reason <text>', 'why (shown in listings)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { reason?: string; project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const changed = await operate((ops) => ops.flows.pause(name, options.reason ?? null), options.project);
      out.result({ flow: name, paused: true, changed });
      out.line(changed ? `paused ${name}` : `${name} was already paused`);
    });
  flow
    .command('resume')
    .description('Resume a paused flow; its queued runs are executed')
    .argument('<name>', 'flow name')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const changed = await operate((ops) => ops.flows.resume(name), options.project);
      out.result({ flow: name, paused: false, changed });
      out.line(changed ? `resumed ${name}` : `${name} was not paused`);
    });
  flow
    .command('versions')
    .description('Stored versions of a flow, newest first (runs show the version they ran on)')
    .argument('<name>', 'flow name')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const versions = (await operate((ops) => ops.flows.versions(name), options.project)) as {
        id: string;
        createdAt: number;
      }[];
      out.result({ items: versions });
      for (const version of versions) out.line(`${version.id}  ${new Date(version.createdAt).toISOString()}`);
    });
  return flow;
}
