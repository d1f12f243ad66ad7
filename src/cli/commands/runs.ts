import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfluxError } from '../../errors/index.ts';
import { createFlowOperations } from '../../platform/index.ts';
import type { RunFilter, RunStatus } from '../../store/index.ts';
import { withCore } from '../offline-core.ts';
import type { Output } from '../output.ts';

interface FilterOptions {
  flow?: string;
  status?: RunStatus;
  correlation?: string;
  version?: string;
  trigger?: string;
  since?: string;
  until?: string;
}

function time(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) {
    throw new ConfluxError('HTTP_BAD_REQUEST', `--${option} ${text} is not a date`, {
      details: { expected: 'an ISO 8601 date or time, e.g. 2024-05-01T00:00:00Z' },
    });
  }
  return at;
}

function toFilter(options: FilterOptions): Omit<RunFilter, 'limit' | 'before'> {
  const createdAfter = time('since', options.since);
  const createdBefore = time('until', options.until);
  return {
    ...(options.flow === undefined ? {} : { flow: options.flow }),
    ...(options.status === undefined ? {} : { status: options.status }),
    ...(options.correlation === undefined ? {} : { correlationId: options.correlation }),
    ...(options.version === undefined ? {} : { flowVersion: options.version }),
    ...(options.trigger === undefined ? {} : { triggerType: options.trigger }),
    ...(createdAfter === undefined ? {} : { createdAfter }),
    ...(createdBefore === undefined ? {} : { createdBefore }),
  };
}

function filterOptions(command: Command): Command {
  return command
    .option('--flow <name>', 'only runs of this flow')
    .option('--status <status>', 'queued, running, succeeded, failed or dead')
    .option('--correlation <id>', 'only runs with this correlation id')
    .option('--version <hash>', 'only runs of this flow version')
    .option('--trigger <type>', 'only runs started by this trigger type (webhook, schedule, ...)')
    .option('--since <time>', 'created at or after (ISO 8601)')
    .option('--until <time>', 'created before (ISO 8601)');
}

export function registerRuns(program: Command, output: (json: boolean) => Output): void {
  const runs = filterOptions(
    program.command('runs').description('List flow runs, newest first (dead letters: --status dead)'),
  )
    .option('--limit <n>', 'how many', '20')
    .option('--before <cursor>', 'the next-page cursor printed by the previous page')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(
      async (
        options: FilterOptions & { limit: string; before?: string; project?: string; json?: boolean },
      ) => {
        const out = output(options.json === true);
        const page = await withCore(options.project, (core) =>
          core.store.runs.list({
            ...toFilter(options),
            limit: Number(options.limit),
            ...(options.before === undefined ? {} : { before: options.before }),
          }),
        );
        out.result(page);
        for (const run of page.runs) {
          out.line(
            `${run.id}  ${new Date(run.createdAt).toISOString()}  ${run.flow}@${run.flowVersion}  ${run.status}  ${run.triggerType}  ${run.correlationId}`,
          );
        }
        if (page.next !== null) out.line(`more: --before ${page.next}`);
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
        if (run === undefined) return undefined;
        const collected = await core.store.flowControl.collected(id);
        return {
          run,
          steps: await core.store.runs.listSteps(id),
          ...(collected.length === 0 ? {} : { collected }),
        };
      });
      if (found === undefined) throw new ConfluxError('ENGINE_RUN_NOT_FOUND', `No run with id ${id}.`);
      out.result(found);
      out.line(
        `${found.run.flow}@${found.run.flowVersion}  ${found.run.status}  correlation ${found.run.correlationId}  replays ${found.run.replays}`,
      );
      for (const step of found.steps)
        out.line(
          `  ${step.stepId.padEnd(16)} ${step.status}  ${step.finishedAt - step.startedAt} ms  attempts ${step.attempts}`,
        );
      if (found.run.error !== null) out.line(`  error: ${JSON.stringify(found.run.error)}`);
      for (const trigger of found.collected ?? [])
        out.line(
          `  trigger #${trigger.seq} ${trigger.status}${trigger.supersededBy === null ? '' : ` by ${trigger.supersededBy}`}  received ${new Date(trigger.createdAt).toISOString()}`,
        );
    });
  filterOptions(
    runs
      .command('replay')
      .description(
        'Replay dead runs from their failed step (completed steps are kept): one by id, or every dead run matching --all and the filters',
      )
      .argument('[id]', 'run id'),
  )
    .option('--all', 'replay every dead run matching the filters (at most --limit)')
    .option('--limit <n>', 'at most this many runs with --all', '1000')
    .option('--start-over', 'run every step again instead of starting at the failed one')
    .option('--input <file>', 'JSON file whose content replaces the run input (single run only)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(
      async (
        id: string | undefined,
        options: FilterOptions & {
          all?: boolean;
          limit: string;
          startOver?: boolean;
          input?: string;
          project?: string;
          json?: boolean;
        },
      ) => {
        const out = output(options.json === true);
        if ((id === undefined) === (options.all !== true)) {
          throw new ConfluxError('HTTP_BAD_REQUEST', 'Name one run id, or pass --all with filters', {
            details: { expected: 'conflux runs replay <id> | conflux runs replay --all --flow <name>' },
          });
        }
        const fromFailedStep = options.startOver !== true;
        const input =
          options.input === undefined ? undefined : JSON.parse(readFileSync(options.input, 'utf8'));
        const result = await withCore(options.project, async (core) => {
          const operations = createFlowOperations(core.store, () => new Map());
          if (id !== undefined) {
            const run = await operations.replayRun(id, {
              fromFailedStep,
              ...(input === undefined ? {} : { input }),
            });
            return { replayed: [run.id], skipped: [] };
          }
          return operations.replayRuns(toFilter(options), { fromFailedStep }, Number(options.limit));
        });
        out.result(result);
        for (const runId of result.replayed) out.line(`replayed ${runId}`);
        for (const skipped of result.skipped)
          out.line(`skipped ${skipped.id}: ${skipped.code} ${skipped.message}`);
        out.line(
          `${result.replayed.length} replayed, ${result.skipped.length} skipped; a running server picks them up`,
        );
      },
    );
}
