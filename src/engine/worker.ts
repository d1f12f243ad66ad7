import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../observability/index.ts';
import type { RunRecord, Store } from '../store/index.ts';
import { keepLease } from './lease-keeper.ts';

export interface WorkerOptions {
  readonly store: Store;
  readonly logger: Logger;
  readonly workerId: string;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  readonly concurrency: number;
  /** Executes one claimed run to its end (or until `signal` aborts). Never rejects. */
  readonly execute: (run: RunRecord, signal: AbortSignal) => Promise<void>;
}

export interface Worker {
  start(): void;
  /** Claims at once instead of at the next poll: a run was just queued. */
  wake(): void;
  stop(timeoutMs: number): Promise<void>;
}

interface InFlight {
  readonly run: RunRecord;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

// After the shutdown deadline aborts in-flight runs, how long they get to notice.
const ABANDON_GRACE_MS = 1000;

/**
 * The claim loop: leases up to `concurrency` due runs, executes each while renewing its lease,
 * and sleeps until woken or the poll interval passes. A process that dies holds nothing: its
 * leases expire and any worker claims the runs again.
 */
export function createWorker(options: WorkerOptions): Worker {
  const { store, logger, workerId, leaseMs, pollIntervalMs, concurrency } = options;
  const inFlight = new Map<string, InFlight>();
  let running = false;
  let woken = false;
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  function launch(run: RunRecord): void {
    const controller = new AbortController();
    const stopRenewing = keepLease(store, run.id, workerId, leaseMs, controller, logger);
    const done = options.execute(run, controller.signal).finally(() => {
      stopRenewing();
      inFlight.delete(run.id);
      wake();
    });
    inFlight.set(run.id, { run, controller, done });
  }

  async function idle(): Promise<void> {
    if (woken) return;
    const controller = new AbortController();
    wakeUp = () => controller.abort();
    await sleep(pollIntervalMs, undefined, { signal: controller.signal }).catch(() => {});
    wakeUp = undefined;
  }

  async function claimLoop(): Promise<void> {
    while (running) {
      woken = false;
      const free = concurrency - inFlight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const runs = await store.runs.claim(workerId, leaseMs, free, Date.now());
          for (const run of runs) launch(run);
          claimed = runs.length;
        } catch (error) {
          logger.error({ err: error }, 'claiming runs failed; retrying at the next poll');
        }
      }
      // A full batch suggests more are due: claim again at once.
      if (running && !(claimed > 0 && claimed === free)) await idle();
    }
  }

  function wake(): void {
    woken = true;
    wakeUp?.();
  }

  /** Hands abandoned runs straight back to the queue rather than making the next worker wait for the lease. */
  async function release(entries: InFlight[]): Promise<void> {
    for (const { run } of entries) {
      await store.runs
        .requeue(run.id, workerId, Date.now(), run.error, Date.now())
        .catch((error: unknown) => {
          logger.warn(
            { runId: run.id, err: error },
            'could not release an abandoned run; its lease will expire',
          );
        });
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = claimLoop();
    },
    wake,
    async stop(timeoutMs) {
      running = false;
      wake();
      await loop;
      const pending = [...inFlight.values()];
      const deadline = AbortSignal.timeout(Math.max(0, timeoutMs));
      const finished = Promise.all(pending.map((entry) => entry.done)).then(() => true);
      const timedOut = new Promise<false>((resolve) =>
        deadline.addEventListener('abort', () => resolve(false)),
      );
      if (await Promise.race([finished, timedOut])) return;
      const abandoned = [...inFlight.values()];
      logger.warn(
        { runs: abandoned.map((entry) => entry.run.id) },
        'shutdown deadline reached; abandoning runs',
      );
      for (const entry of abandoned) entry.controller.abort(new Error('shutdown'));
      await Promise.race([Promise.all(abandoned.map((entry) => entry.done)), sleep(ABANDON_GRACE_MS)]);
      await release(abandoned);
    },
  };
}
