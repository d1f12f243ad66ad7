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
  /**
   * Holds a slot for a run its starter is about to create already leased to this worker
   * (eager start); false when the worker is stopped or has no free slot. The slot is
   * consumed by `adopt` or given back by `release`.
   */
  reserve(): boolean;
  /** Executes a run created under this worker's lease in the slot `reserve` held. */
  adopt(run: RunRecord): void;
  /** Gives back a reserved slot whose run was not created leased (paused flow, store error). */
  release(): void;
  /** True while this process executes the run. */
  holds(runId: string): boolean;
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
  let reserved = 0;
  let running = false;
  // Due runs may wait that this worker has not tried to claim: something was queued, or the
  // last claim filled every free slot. A finished run frees a slot; it claims only then, so
  // eagerly started runs finishing one after another cost no claim query each.
  let pending = false;
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  const room = () => concurrency - inFlight.size - reserved;

  function launch(run: RunRecord): void {
    const controller = new AbortController();
    const stopRenewing = keepLease(store, run.id, workerId, leaseMs, controller, logger);
    const done = options.execute(run, controller.signal).finally(() => {
      stopRenewing();
      inFlight.delete(run.id);
      if (pending) wakeUp?.();
    });
    inFlight.set(run.id, { run, controller, done });
  }

  /** Until woken or the poll interval passes (a plain timer: no AbortError per wake-up). */
  function idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, pollIntervalMs);
      wakeUp = done;
    });
  }

  async function claimLoop(): Promise<void> {
    while (running) {
      const free = room();
      if (free > 0) {
        pending = false;
        try {
          const runs = await store.runs.claim(workerId, leaseMs, free, Date.now());
          for (const run of runs) launch(run);
          // A full batch suggests more are due.
          if (runs.length === free) pending = true;
        } catch (error) {
          logger.error({ err: error }, 'claiming runs failed; retrying at the next poll');
        }
      }
      if (running && !(pending && room() > 0)) await idle();
    }
  }

  function wake(): void {
    pending = true;
    wakeUp?.();
  }

  /** Hands abandoned runs straight back to the queue rather than making the next worker wait for the lease. */
  async function requeueAbandoned(entries: InFlight[]): Promise<void> {
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
    reserve() {
      if (!running || room() <= 0) return false;
      reserved += 1;
      return true;
    },
    adopt(run) {
      reserved -= 1;
      launch(run);
    },
    release() {
      reserved -= 1;
      if (pending) wakeUp?.();
    },
    holds: (runId) => inFlight.has(runId),
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
      await requeueAbandoned(abandoned);
    },
  };
}
