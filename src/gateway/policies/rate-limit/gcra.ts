/**
 * The Generic Cell Rate Algorithm, shared by the local and the Redis limiter (the Lua script in
 * redis-limiter.ts is this function transcribed). Each limit keeps one number per key, the
 * theoretical arrival time (TAT): a request is allowed when its new TAT is no further ahead of
 * now than the burst tolerance. Unlike fixed windows it never allows a double burst at a
 * window boundary, and it needs one read and one write per limit.
 */
export interface GcraLimit {
  /** Name in the RateLimit headers: `second`, `minute`, `hour`. */
  readonly name: string;
  readonly quota: number;
  readonly windowSeconds: number;
  /** Milliseconds between two requests at the sustained rate. */
  readonly intervalMs: number;
  /** How far ahead of now the TAT may run: interval × burst. */
  readonly toleranceMs: number;
}

export interface LimitDecision {
  readonly allowed: boolean;
  /** The limit that decided: the one rejecting, or the one with the least remaining. */
  readonly limit: GcraLimit;
  readonly remaining: number;
  /** Milliseconds until the deciding limit is fully replenished. */
  readonly resetMs: number;
  /** When rejected: milliseconds until a request would be allowed. */
  readonly retryAfterMs: number;
}

export interface RateLimiter {
  /** Checks all limits of `key` at once; counts the request only when every limit allows it. */
  check(key: string, limits: readonly GcraLimit[]): LimitDecision | Promise<LimitDecision>;
}

const WINDOWS = [
  ['perSecond', 'second', 1],
  ['perMinute', 'minute', 60],
  ['perHour', 'hour', 3600],
] as const;

/** Turns a tier (`perSecond: 10, burst: 20`) into GCRA limits; burst applies to the finest window. */
export function limitsOf(tier: {
  readonly perSecond?: number;
  readonly perMinute?: number;
  readonly perHour?: number;
  readonly burst?: number;
}): GcraLimit[] {
  const limits: GcraLimit[] = [];
  for (const [field, name, windowSeconds] of WINDOWS) {
    const quota = tier[field];
    if (quota === undefined) continue;
    const intervalMs = (windowSeconds * 1000) / quota;
    const burst = limits.length === 0 ? (tier.burst ?? quota) : quota;
    limits.push({ name, quota, windowSeconds, intervalMs, toleranceMs: intervalMs * burst });
  }
  return limits;
}

const WINDOW_NAMES: Readonly<Record<number, string>> = {
  1: 'second',
  60: 'minute',
  3600: 'hour',
  86400: 'day',
};

/**
 * One limit of `requests` per `windowSeconds`, all of them allowed at once (a stored plan's
 * `rateLimit`); named after its window when it is a common one, else e.g. `30s`.
 */
export function limitOf(requests: number, windowSeconds: number): GcraLimit {
  const intervalMs = (windowSeconds * 1000) / requests;
  return {
    name: WINDOW_NAMES[windowSeconds] ?? `${windowSeconds}s`,
    quota: requests,
    windowSeconds,
    intervalMs,
    toleranceMs: intervalMs * requests,
  };
}

/** One GCRA decision over stored TATs (`undefined` = never seen); returns the TATs to store when allowed. */
export function decide(
  tats: readonly (number | undefined)[],
  limits: readonly GcraLimit[],
  now: number,
): { decision: LimitDecision; newTats: number[] } {
  let allowed = true;
  let binding = 0;
  let retryAfterMs = 0;
  let remaining = Number.POSITIVE_INFINITY;
  const newTats: number[] = [];
  for (let i = 0; i < limits.length; i++) {
    const limit = limits[i] as GcraLimit;
    const tat = Math.max(tats[i] ?? now, now);
    const newTat = tat + limit.intervalMs;
    newTats.push(newTat);
    const excess = newTat - now - limit.toleranceMs;
    if (excess > 0) {
      if (allowed || excess > retryAfterMs) {
        binding = i;
        retryAfterMs = excess;
      }
      allowed = false;
    } else if (allowed) {
      const left = Math.floor((limit.toleranceMs - (newTat - now)) / limit.intervalMs);
      if (left < remaining) {
        remaining = left;
        binding = i;
      }
    }
  }
  const limit = limits[binding] as GcraLimit;
  const bindingTat = newTats[binding] as number;
  return {
    decision: {
      allowed,
      limit,
      remaining: allowed ? remaining : 0,
      resetMs: allowed ? bindingTat - now : bindingTat - limit.intervalMs - now,
      retryAfterMs: allowed ? 0 : Math.ceil(retryAfterMs),
    },
    newTats,
  };
}
