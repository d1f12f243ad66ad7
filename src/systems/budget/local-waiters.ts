/**
 * Calls of this process waiting for a budget: each sleeps until the budget said to look again,
 * or earlier when a holder in this process releases its slot (another process's release is
 * seen at the next look).
 */
export interface LocalWaiters {
  /** Sleeps `ms`, or less when `wake(key)` is called; rejects with the signal's reason on abort. */
  sleep(key: string, ms: number, signal: AbortSignal | undefined): Promise<void>;
  wake(key: string): void;
}

export function createLocalWaiters(): LocalWaiters {
  const waiting = new Map<string, Set<() => void>>();
  return {
    sleep(key, ms, signal) {
      return new Promise((resolve, reject) => {
        const set = waiting.get(key) ?? new Set();
        waiting.set(key, set);
        const done = () => {
          clearTimeout(timer);
          set.delete(done);
          if (set.size === 0 && waiting.get(key) === set) waiting.delete(key);
          signal?.removeEventListener('abort', aborted);
          resolve();
        };
        const aborted = () => {
          done();
          reject(signal?.reason);
        };
        const timer = setTimeout(done, ms);
        set.add(done);
        signal?.addEventListener('abort', aborted, { once: true });
      });
    },
    wake(key) {
      const set = waiting.get(key);
      if (set === undefined) return;
      waiting.delete(key);
      for (const resume of set) resume();
    },
  };
}
