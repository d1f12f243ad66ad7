import { resolve } from 'node:path';
import type { Command } from 'commander';
import { importArazzo } from '../../engine/index.ts';
import { ConfluxError } from '../../errors/index.ts';
import { createLogger, createMetrics } from '../../observability/index.ts';
import { createFlowOperations, createSystemsRuntimeManager, validateProject } from '../../platform/index.ts';
import { formatProblems, loadProject } from '../../project/index.ts';
import { withCore } from '../offline-core.ts';
import type { Output } from '../output.ts';
import { projectDirectory } from '../project-dir.ts';

/** `conflux flow pause|resume|versions|import`: operate flows of a project (running or not). */
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
  flow
    .command('import')
    .description(
      'Write each workflow of an Arazzo 1.0 document as a flow (flows/<workflowId>.yaml), then validate the project',
    )
    .argument(
      '<arazzo-file>',
      'Arazzo document (YAML or JSON); its source descriptions must be systems of the project',
    )
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--force', 'replace flow files that already exist')
    .option('--json', 'machine-readable output')
    .action(async (file: string, options: { project?: string; force?: boolean; json?: boolean }) => {
      const out = output(options.json === true);
      const root = projectDirectory(options.project);
      const { project, problems: before } = await loadProject(root);
      if (project === undefined) {
        throw new ConfluxError('PROJECT_INVALID', `${root} has problems; fix them before importing.`, {
          details: { problems: before },
        });
      }
      const result = await importArazzo({ file: resolve(file), project, force: options.force === true });
      for (const imported of result.flows)
        out.line(`wrote ${imported.file} (workflow ${imported.workflowId})`);
      for (const warning of result.warnings)
        out.error(`warning ${file}#${warning.pointer}: ${warning.message}`);
      const systems = createSystemsRuntimeManager({
        logger: createLogger({ level: 'silent' }),
        metrics: createMetrics(),
        resolveSecret: () => Promise.reject(new Error('import never calls a system')),
      });
      const { problems } = await validateProject(root, (loaded) => systems.checkOperations(loaded));
      await systems.close();
      out.result({
        flows: result.flows.map(({ workflowId, name, file: written }) => ({
          workflowId,
          name,
          file: written,
        })),
        warnings: result.warnings,
        problems,
      });
      if (problems.length > 0) out.error(formatProblems(problems, { color: out.color }));
      process.exitCode = problems.length === 0 ? 0 : 1;
    });
  return flow;
}
