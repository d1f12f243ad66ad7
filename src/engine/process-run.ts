import { ConfluxError } from '../errors/index.ts';
import type { RunRecord } from '../store/index.ts';
import { scopeIdempotency } from './dead-letter/replay-scope.ts';
import { withCompensation } from './dead-letter/with-compensation.ts';
import { type ExecuteDeps, executeRun, type RunOutcome } from './execute-run.ts';
import { admitRun } from './flow-control/admission.ts';
import { withCollectedInput } from './flow-control/collected-input.ts';
import type { FlowRegistry } from './flow-registry.ts';
import type { RunWaiters } from './run-waiters.ts';
import type { FlowVersions } from './versions/flow-versions.ts';

export interface ProcessDeps extends ExecuteDeps {
  readonly workerId: string;
  readonly flows: FlowRegistry;
  /** Finds the version a run started on, in memory or in the store. */
  readonly versions: FlowVersions;
  readonly waiters: RunWaiters;
  /** Asks the local worker to claim again at `availableAt` (a requeued retry). */
  readonly wakeAt: (availableAt: number) => void;
}

type Final = { status: 'succeeded' | 'failed' | 'dead'; output?: unknown; error?: unknown };

async function finish(deps: ProcessDeps, run: RunRecord, result: Final): Promise<void> {
  const now = Date.now();
  const stored = {
    status: result.status,
    output: deps.redact(result.output),
    error: deps.redact(result.error),
  };
  if (!(await deps.store.runs.finish(run.id, deps.workerId, stored, now))) {
    deps.logger.warn({ runId: run.id }, 'the run was taken over before it could be finished here');
    return;
  }
  // A parent run waiting for this one (a subflow step) resumes now rather than at its deadline.
  if (run.triggerType === 'subflow')
    await deps.store.engine.deliver(`run:${run.id}`, { status: result.status }, now);
  deps.metrics.runs.inc({ flow: run.flow, status: result.status });
  deps.metrics.runDuration.observe({ flow: run.flow }, (now - run.createdAt) / 1000);
  const level = result.status === 'succeeded' ? 'info' : 'warn';
  deps.logger[level](
    { runId: run.id, flow: run.flow, status: result.status, correlationId: run.correlationId },
    'run finished',
  );
  // Local waiters (a sync webhook) get the output as computed, not as redacted for storage.
  deps.waiters.notify({
    ...run,
    status: result.status,
    output: result.output ?? null,
    error: stored.error ?? null,
    finishedAt: now,
    updatedAt: now,
    leaseOwner: null,
    leaseExpiresAt: null,
  });
}

async function settle(deps: ProcessDeps, run: RunRecord, outcome: RunOutcome): Promise<void> {
  switch (outcome.kind) {
    case 'succeeded':
      return finish(deps, run, { status: 'succeeded', output: outcome.output });
    case 'dead':
      return finish(deps, run, { status: 'dead', error: outcome.failure });
    case 'retry': {
      const now = Date.now();
      if (
        await deps.store.runs.requeue(
          run.id,
          deps.workerId,
          outcome.availableAt,
          deps.redact(outcome.failure),
          now,
        )
      ) {
        deps.wakeAt(outcome.availableAt);
      }
      return;
    }
    case 'suspend': {
      if (await deps.store.runs.requeue(run.id, deps.workerId, outcome.availableAt, run.error, Date.now())) {
        deps.wakeAt(outcome.availableAt);
        // What the run waits for may have arrived while it was still running here.
        if (outcome.recheck !== undefined && (await outcome.recheck())) {
          await deps.store.engine.wakeRun(run.id, Date.now());
          deps.wakeAt(Date.now());
        }
      }
      return;
    }
    case 'abandoned':
      return;
  }
}

/** Executes one claimed run and records how it ended. Never rejects: failures are logged, leases expire. */
export async function processRun(deps: ProcessDeps, claimed: RunRecord, signal: AbortSignal): Promise<void> {
  let run = claimed;
  try {
    // Debounce and batching: the run's trigger data comes from the triggers it collected.
    run = await withCollectedInput(deps.store, claimed, deps.workerId);
    const flow = await deps.versions.resolve(run.flow, run.flowVersion);
    if (flow === undefined) {
      const error = new ConfluxError(
        'ENGINE_FLOW_NOT_FOUND',
        `Flow "${run.flow}" is not loaded; the run cannot execute`,
        {
          details: { flow: run.flow, version: run.flowVersion },
        },
      );
      await finish(deps, run, {
        status: 'failed',
        error: { code: error.code, message: error.message, details: error.details },
      });
      return;
    }
    // Flow control: over its key's concurrency limit the run goes back to the queue, untouched.
    const admission = await admitRun(deps.store, flow, run);
    if ('retryAt' in admission)
      return await settle(deps, run, { kind: 'suspend', availableAt: admission.retryAt });
    const outcome = await executeRun(
      run,
      flow,
      { ...deps, systems: scopeIdempotency(deps.systems, run.replays) },
      signal,
    ).finally(admission.release);
    // A dead run first undoes the completed steps that declare `compensate` (saga).
    await settle(
      deps,
      run,
      outcome.kind === 'dead' ? await withCompensation(deps, run, flow.definition, outcome, signal) : outcome,
    );
  } catch (error) {
    deps.logger.error(
      { runId: run.id, flow: run.flow, err: error },
      'run execution failed; it resumes when its lease expires',
    );
  }
}
