/**
 * Brute-force throttling for the token endpoint: failed attempts are counted per client id and
 * per address in a fixed window; past the limit the endpoint answers 429 until the window
 * ends, so guessing a client secret or an authorization code costs real time.
 */
export interface TokenThrottle {
  /** Seconds to wait, or 0 when the caller may try. */
  retryAfter(keys: readonly string[]): number;
  fail(keys: readonly string[]): void;
}

export function createTokenThrottle(options: {
  maxFailures: number;
  windowSeconds: number;
  now?: () => number;
}): TokenThrottle {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { count: number; resetAt: number }>();
  const current = (key: string) => {
    const entry = windows.get(key);
    if (entry === undefined || entry.resetAt <= now()) return undefined;
    return entry;
  };
  return {
    retryAfter(keys) {
      let wait = 0;
      for (const key of keys) {
        const entry = current(key);
        if (entry !== undefined && entry.count >= options.maxFailures)
          wait = Math.max(wait, Math.ceil((entry.resetAt - now()) / 1000));
      }
      return wait;
    },
    fail(keys) {
      if (windows.size > 50_000) windows.clear();
      for (const key of keys) {
        const entry = current(key) ?? { count: 0, resetAt: now() + options.windowSeconds * 1000 };
        entry.count += 1;
        windows.set(key, entry);
      }
    },
  };
}
