import type { Logger } from '../../../observability/index.ts';
import type { QuotaIncrement, QuotaRepository } from '../../../store/index.ts';

interface Counter {
  /** Total in the store at the last sync (every process's increments). */
  stored: number;
  /** This process's increments not yet written. */
  pending: number;
  loading: Promise<void> | undefined;
  loaded: boolean;
  readonly key: string;
  readonly periodStart: number;
  /** Epoch ms of the last request counted here: idle counters are dropped, not re-read forever. */
  usedAt: number;
}

/** A counter idle this long is forgotten (and re-read from the store if used again). */
const IDLE_MS = 60_000;

export interface QuotaCounter {
  /** Counts one request if `used < limit`; answers synchronously once the counter is loaded. */
  take(key: string, periodStart: number, limit: number): boolean | Promise<boolean>;
  /** Writes pending increments now. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Quota counts kept in memory and written to the store in batches every `flushMs`, so a request
 * costs no database write. The count survives restarts (close() flushes; a crash loses at most
 * one interval). Several processes share a quota through the store: each adds its own
 * increments and re-reads the total on every flush, so together they may overshoot by what
 * they admit within one interval; docs/gateway-policies.md says so.
 */
export function createQuotaCounter(options: {
  repository: QuotaRepository;
  logger: Logger;
  flushMs?: number;
}): QuotaCounter {
  const counters = new Map<string, Counter>();
  let flushing: Promise<void> | undefined;
  const timer = setInterval(() => {
    void flush();
  }, options.flushMs ?? 1_000);
  timer.unref();

  function counterFor(key: string, periodStart: number): Counter {
    const id = `${key}|${periodStart}`;
    let counter = counters.get(id);
    if (counter === undefined) {
      counter = { stored: 0, pending: 0, loading: undefined, loaded: false, key, periodStart, usedAt: 0 };
      counters.set(id, counter);
    }
    return counter;
  }

  function takeLoaded(counter: Counter, limit: number): boolean {
    if (counter.stored + counter.pending >= limit) return false;
    counter.pending++;
    return true;
  }

  async function load(counter: Counter): Promise<void> {
    counter.stored = await options.repository.used(counter.key, counter.periodStart);
    counter.loaded = true;
  }

  async function writeOut(): Promise<void> {
    const batch: { counter: Counter; count: number }[] = [];
    for (const counter of counters.values()) {
      if (counter.pending > 0) batch.push({ counter, count: counter.pending });
    }
    if (batch.length > 0) {
      const increments: QuotaIncrement[] = batch.map(({ counter, count }) => ({
        key: counter.key,
        periodStart: counter.periodStart,
        count,
      }));
      await options.repository.add(increments, Date.now());
      for (const { counter, count } of batch) counter.pending -= count;
    }
    // Re-read what every process has used; forget idle counters (periods that ended among
    // them: with hourly periods, keeping those would mean re-reading hundreds per subject).
    const now = Date.now();
    for (const [id, counter] of counters) {
      if (!counter.loaded) continue;
      if (counter.pending === 0 && counter.usedAt < now - IDLE_MS) counters.delete(id);
      else counter.stored = await options.repository.used(counter.key, counter.periodStart);
    }
  }

  function flush(): Promise<void> {
    flushing ??= writeOut()
      .catch((error: unknown) =>
        options.logger.warn(
          { err: error },
          'quota counters could not be written; retrying on the next flush',
        ),
      )
      .finally(() => {
        flushing = undefined;
      });
    return flushing;
  }

  return {
    take(key, periodStart, limit) {
      const counter = counterFor(key, periodStart);
      counter.usedAt = Date.now();
      if (counter.loaded) return takeLoaded(counter, limit);
      counter.loading ??= load(counter);
      return counter.loading.then(() => takeLoaded(counter, limit));
    },
    flush,
    async close() {
      clearInterval(timer);
      await flushing;
      await flush();
    },
  };
}
