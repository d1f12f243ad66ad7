/**
 * Retention: finished runs older than their status's keep time are deleted with their steps
 * and payloads, in batches, on a timer, so the store does not grow without bound. Queued and
 * running runs are never pruned.
 */
import type { Logger } from '../../observability/index.ts';
import type { Store } from '../../store/index.ts';

export interface RetentionPolicy {
  /** Milliseconds to keep finished runs, per final status. */
  readonly succeeded: number;
  readonly failed: number;
  readonly dead: number;
}

export interface RetentionPruner {
  /** One pass: deletes every run past its keep time; returns how many per status. */
  pruneOnce(now?: number): Promise<Record<keyof RetentionPolicy, number>>;
  start(): void;
  stop(): void;
}

const BATCH = 500;
// A pass stops after this many batches per status so one pass never runs unbounded; the next
// timer tick continues.
const MAX_BATCHES = 200;

export function createRetentionPruner(options: {
  readonly store: Store;
  readonly logger: Logger;
  readonly policy: () => RetentionPolicy;
  readonly intervalMs: number;
}): RetentionPruner {
  const { store, logger, intervalMs } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function pruneOnce(now = Date.now()) {
    const policy = options.policy();
    const pruned = { succeeded: 0, failed: 0, dead: 0 };
    for (const status of ['succeeded', 'failed', 'dead'] as const) {
      const before = now - policy[status];
      for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
        const deleted = await store.runMaintenance.prune(status, before, BATCH);
        pruned[status] += deleted;
        if (deleted < BATCH) break;
      }
    }
    if (pruned.succeeded + pruned.failed + pruned.dead > 0) logger.info({ pruned }, 'pruned finished runs');
    return pruned;
  }

  function tick() {
    running = pruneOnce()
      .catch((error: unknown) => logger.warn({ err: error }, 'pruning runs failed; trying again later'))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    pruneOnce,
    start() {
      if (timer !== undefined) return;
      tick();
      timer = setInterval(() => {
        if (running === undefined) tick();
      }, intervalMs).unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
