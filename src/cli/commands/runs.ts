import type { Command } from 'commander';
import { ConfluxError } from '../../errors/index.ts';
import type { RunStatus } from '../../store/index.ts';
import { withCore } from '../offline-core.ts';
import type { Output } from '../output.ts';

export function registerRuns(program: Command, output: (json: boolean) => Output): void {
  const runs = program
    .command('runs')
    .description('List flow runs, newest first')
    .option('--flow <name>', 'only runs of this flow')
    .option('--status <status>', 'queued, running, succeeded, failed or dead')
    .option('--limit <n>', 'how many', '20')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(
      async (options: {
        flow?: string;
        status?: RunStatus;
        limit: string;
        project?: string;
        json?: boolean;
      }) => {
        const out = output(options.json === true);
        const page = await withCore(options.project, (core) =>
          core.store.runs.list({
            limit: Number(options.limit),
            ...(options.flow === undefined ? {} : { flow: options.flow }),
            ...(options.status === undefined ? {} : { status: options.status }),
          }),
        );
        out.result(page);
        for (const run of page.runs) {
          out.line(
            `${run.id}  ${new Date(run.createdAt).toISOString()}  ${run.flow}@${run.flowVersion}  ${run.status}  ${run.triggerType}`,
          );
        }
      },
    );
  runs
    .command('show')
    .description('One run with its steps')
    .argument('<id>', 'run id')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const found = await withCore(options.project, async (core) => {
        const run = await core.store.runs.get(id);
        return run === undefined ? undefined : { run, steps: await core.store.runs.listSteps(id) };
      });
      if (found === undefined) throw new ConfluxError('ENGINE_RUN_NOT_FOUND', `No run with id ${id}.`);
      out.result(found);
      out.line(
        `${found.run.flow}@${found.run.flowVersion}  ${found.run.status}  correlation ${found.run.correlationId}`,
      );
      for (const step of found.steps)
        out.line(
          `  ${step.stepId.padEnd(16)} ${step.status}  ${step.finishedAt - step.startedAt} ms  attempts ${step.attempts}`,
        );
      if (found.run.error !== null) out.line(`  error: ${JSON.stringify(found.run.error)}`);
    });
}
