/**
 * Replaying dead letters: a dead (or failed) run goes back to the queue as the same run, by
 * default from its failed step — completed steps keep their recorded outputs and are skipped —
 * optionally with edited trigger data. Steps executed after a replay use a fresh idempotency
 * scope (see replay-scope.ts).
 */
import { ConfluxError } from '../../errors/index.ts';
import type { RunFilter, RunRecord, Store } from '../../store/index.ts';
import { COMPENSATION_SUFFIX } from './compensate.ts';

export interface ReplayOptions {
  /** Keep completed steps and start at the failed one (default true); false starts over. */
  readonly fromFailedStep?: boolean;
  /** Replaces the run's trigger data. */
  readonly input?: unknown;
}

export type BulkReplayFilter = Omit<RunFilter, 'limit' | 'before'>;

export interface BulkReplayResult {
  readonly replayed: readonly string[];
  readonly skipped: readonly { readonly id: string; readonly code: string; readonly message: string }[];
}

const REPLAYABLE = new Set(['dead', 'failed']);
/** Bulk replays touch at most this many runs per call; call again for the rest. */
export const MAX_BULK_REPLAY = 1000;

function invalid(run: RunRecord, message: string): ConfluxError {
  return new ConfluxError('ENGINE_REPLAY_INVALID', message, {
    details: { runId: run.id, status: run.status },
  });
}

export async function replayRun(
  store: Store,
  runId: string,
  options: ReplayOptions = {},
  now = Date.now(),
): Promise<RunRecord> {
  const fromFailedStep = options.fromFailedStep ?? true;
  const run = await store.runs.get(runId);
  if (run === undefined) {
    throw new ConfluxError('ENGINE_RUN_NOT_FOUND', `No run with id ${runId}`, { details: { runId } });
  }
  if (!REPLAYABLE.has(run.status)) {
    throw invalid(run, `Run ${runId} is ${run.status}; only dead or failed runs can be replayed`);
  }
  if (fromFailedStep) {
    const steps = await store.runs.listSteps(runId);
    if (steps.some((step) => step.stepId.endsWith(COMPENSATION_SUFFIX))) {
      throw invalid(
        run,
        `Run ${runId} was compensated (its completed steps were undone); replay it with fromFailedStep: false to start over`,
      );
    }
  }
  const replayed = await store.runMaintenance.replay(
    runId,
    { fromFailedStep, ...(options.input === undefined ? {} : { input: options.input }) },
    now,
  );
  if (replayed === undefined)
    throw invalid(run, `Run ${runId} changed state while being replayed; try again`);
  return replayed;
}

/** Replays every dead run matching the filter (status defaults to dead), oldest first, up to `limit`. */
export async function replayRuns(
  store: Store,
  filter: BulkReplayFilter,
  options: Omit<ReplayOptions, 'input'> = {},
  limit = MAX_BULK_REPLAY,
): Promise<BulkReplayResult> {
  const status = filter.status ?? 'dead';
  if (!REPLAYABLE.has(status)) {
    throw new ConfluxError(
      'ENGINE_REPLAY_INVALID',
      `Only dead or failed runs can be replayed, not ${status}`,
      {
        details: { status, expected: 'dead or failed' },
      },
    );
  }
  const ids = await store.runMaintenance.listIds(
    { ...filter, status },
    Math.min(Math.max(1, limit), MAX_BULK_REPLAY),
  );
  const replayed: string[] = [];
  const skipped: { id: string; code: string; message: string }[] = [];
  for (const id of ids) {
    try {
      await replayRun(store, id, options);
      replayed.push(id);
    } catch (error) {
      if (!(error instanceof ConfluxError)) throw error;
      skipped.push({ id, code: error.code, message: error.message });
    }
  }
  return { replayed, skipped };
}
