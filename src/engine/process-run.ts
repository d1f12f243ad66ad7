import { ConfluxError } from '../errors/index.ts';
import type { RunRecord } from '../store/index.ts';
import { type ExecuteDeps, executeRun, type RunOutcome } from './execute-run.ts';
import type { FlowRegistry } from './flow-registry.ts';
import type { RunWaiters } from './run-waiters.ts';

export interface ProcessDeps extends ExecuteDeps {
  readonly workerId: string;
  readonly flows: FlowRegistry;
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
    case 'abandoned':
      return;
  }
}

/** Executes one claimed run and records how it ended. Never rejects: failures are logged, leases expire. */
export async function processRun(deps: ProcessDeps, run: RunRecord, signal: AbortSignal): Promise<void> {
  try {
    const flow = deps.flows.forRun(run.flow, run.flowVersion);
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
    await settle(deps, run, await executeRun(run, flow, deps, signal));
  } catch (error) {
    deps.logger.error(
      { runId: run.id, flow: run.flow, err: error },
      'run execution failed; it resumes when its lease expires',
    );
  }
}
