import { decide, type GcraLimit, type LimitDecision, type RateLimiter } from './gcra.ts';

export interface LocalLimiter extends RateLimiter {
  check(key: string, limits: readonly GcraLimit[]): LimitDecision;
  readonly size: number;
}

/**
 * GCRA state in this process's memory: synchronous, no promise per request. A TAT in the past
 * carries no information (the key is fully replenished), so the map is swept of those every
 * SWEEP_EVERY checks and stays bounded by the number of recently active keys.
 */
export function createLocalLimiter(now: () => number = Date.now): LocalLimiter {
  const tats = new Map<string, number>();
  const SWEEP_EVERY = 10_000;
  let checks = 0;
  return {
    get size() {
      return tats.size;
    },
    check(key, limits) {
      const at = now();
      if (++checks % SWEEP_EVERY === 0) {
        for (const [stored, tat] of tats) if (tat <= at) tats.delete(stored);
      }
      const current = limits.map((limit) => tats.get(`${key}|${limit.name}`));
      const { decision, newTats } = decide(current, limits, at);
      if (decision.allowed) {
        for (let i = 0; i < limits.length; i++)
          tats.set(`${key}|${(limits[i] as GcraLimit).name}`, newTats[i] as number);
      }
      return decision;
    },
  };
}
