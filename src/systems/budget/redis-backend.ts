import type { Redis } from 'ioredis';
import type { BudgetBackend, TakeResult } from './budget-backend.ts';
import { CONCURRENCY_RECHECK_MS, MAX_RAMP_MS, MIN_RAMP_MS, RAMP_FLOOR } from './budget-state.ts';

// Keys outlive their last use by this much, so an idle budget's state leaves Redis on its own.
const IDLE_TTL_MS = 60_000;

const SERVER_NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
`;

/**
 * decideTake of budget-state.ts in Lua: pause, slots and rate checked and (when all allow)
 * updated in ONE atomic round trip. KEYS: the state hash, the slot zset (score = expiry).
 * ARGV: holder, interval ms (-1: no rate), burst, concurrency (-1: none), lease ms. Time is the
 * Redis server's, so processes with skewed clocks share one timeline.
 */
const TAKE_SCRIPT = `${SERVER_NOW}
local holder = ARGV[1]
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local concurrency = tonumber(ARGV[4])
local leaseMs = tonumber(ARGV[5])
local state = redis.call('HMGET', KEYS[1], 'tat', 'paused', 'ramp')
local tat = tonumber(state[1])
local paused = tonumber(state[2]) or 0
local ramp = tonumber(state[3]) or 0
if now < paused then return {0, 'paused', math.ceil(paused - now)} end
local fraction = 1
if paused > 0 and now < paused + ramp then
  fraction = math.min(1, math.max(${RAMP_FLOOR}, (now - paused) / ramp))
end
if concurrency >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if not redis.call('ZSCORE', KEYS[2], holder) then
    local limit = math.max(1, math.floor(concurrency * fraction))
    if redis.call('ZCARD', KEYS[2]) >= limit then
      local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
      local wait = math.min(tonumber(first[2]) - now, ${CONCURRENCY_RECHECK_MS})
      return {0, 'concurrency', math.max(1, math.ceil(wait))}
    end
  end
end
if interval >= 0 then
  local effective = interval / fraction
  local tolerance = effective
  if fraction >= 1 then tolerance = interval * burst end
  local base = tat or now
  if base < now then base = now end
  local nextTat = base + effective
  local excess = nextTat - now - tolerance
  if excess > 0 then return {0, 'rate', math.max(1, math.ceil(excess))} end
  redis.call('HSET', KEYS[1], 'tat', string.format('%.3f', nextTat))
  redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(nextTat, paused + ramp) - now) + ${IDLE_TTL_MS})
end
if concurrency >= 0 then
  redis.call('ZADD', KEYS[2], now + leaseMs, holder)
  redis.call('PEXPIRE', KEYS[2], leaseMs + ${IDLE_TTL_MS})
end
return {1, '', 0}
`;

/** Extends an unexpired slot (an expired one may already belong to nobody). KEYS: zset; ARGV: holder, lease ms. */
const RENEW_SCRIPT = `${SERVER_NOW}
local score = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
if score == nil or score <= now then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + ${IDLE_TTL_MS})
return 1
`;

/** decidePause of budget-state.ts. KEYS: the state hash; ARGV: pause ms. */
const PAUSE_SCRIPT = `${SERVER_NOW}
local pauseMs = tonumber(ARGV[1])
local untilMs = now + pauseMs
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused')) or 0
if untilMs <= paused then return 0 end
local ramp = math.min(${MAX_RAMP_MS}, math.max(${MIN_RAMP_MS}, pauseMs))
local tat = tonumber(redis.call('HGET', KEYS[1], 'tat'))
if tat ~= nil and tat < untilMs then redis.call('HSET', KEYS[1], 'tat', string.format('%.3f', untilMs)) end
redis.call('HSET', KEYS[1], 'paused', string.format('%.3f', untilMs), 'ramp', ramp)
redis.call('PEXPIRE', KEYS[1], math.ceil(pauseMs + ramp) + ${IDLE_TTL_MS})
return 1
`;

type Script<T> = (...args: (string | number)[]) => Promise<T>;
interface BudgetCommands {
  confluxBudgetTake?: Script<[number, string, number]>;
  confluxBudgetRenew?: Script<number>;
  confluxBudgetPause?: Script<number>;
}

export interface RedisBudgetOptions {
  readonly redis: Redis;
  /** Where decisions go while Redis fails: this process's budgets (fail-open, as the rate limits). */
  readonly fallback: BudgetBackend;
  /** Told of every Redis failure (metrics, a rate-limited warning). */
  readonly onError: (error: unknown) => void;
  readonly prefix?: string;
}

/**
 * Budgets shared by every process through Redis (CONFLUX_REDIS_URL). Slots are members of a
 * sorted set scored by their expiry, so a killed holder's slot is dropped by the first take
 * after it expires. When Redis fails the decision falls open onto the local fallback, which
 * then also receives that holder's release.
 */
export function createRedisBudgetBackend(options: RedisBudgetOptions): BudgetBackend {
  const prefix = options.prefix ?? 'conflux:budget:';
  const redis = options.redis as Redis & BudgetCommands;
  if (redis.confluxBudgetTake === undefined) {
    redis.defineCommand('confluxBudgetTake', { numberOfKeys: 2, lua: TAKE_SCRIPT });
    redis.defineCommand('confluxBudgetRenew', { numberOfKeys: 1, lua: RENEW_SCRIPT });
    redis.defineCommand('confluxBudgetPause', { numberOfKeys: 1, lua: PAUSE_SCRIPT });
  }
  const commands = redis as Required<BudgetCommands>;
  // The braces keep a budget's two keys in one Redis Cluster slot.
  const stateKey = (key: string) => `${prefix}{${key}}`;
  const slotsKey = (key: string) => `${prefix}{${key}}:slots`;
  const local = new Set<string>();

  return {
    name: 'redis',
    async take(key, holder, spec) {
      try {
        const [granted, reason, waitMs] = await commands.confluxBudgetTake(
          stateKey(key),
          slotsKey(key),
          holder,
          spec.intervalMs ?? -1,
          spec.burst,
          spec.concurrency ?? -1,
          spec.leaseMs,
        );
        return granted === 1 ? { granted: true } : ({ granted: false, reason, waitMs } as TakeResult);
      } catch (error) {
        options.onError(error);
        const result = await options.fallback.take(key, holder, spec);
        if (result.granted) local.add(holder);
        return result;
      }
    },
    async release(key, holder) {
      if (local.delete(holder)) return options.fallback.release(key, holder);
      await redis.zrem(slotsKey(key), holder).catch(options.onError);
    },
    async renew(key, holder, leaseMs) {
      if (local.has(holder)) return options.fallback.renew(key, holder, leaseMs);
      await commands.confluxBudgetRenew(slotsKey(key), holder, leaseMs).catch(options.onError);
    },
    async pause(key, pauseMs) {
      await commands.confluxBudgetPause(stateKey(key), Math.ceil(pauseMs)).catch(async (error: unknown) => {
        options.onError(error);
        await options.fallback.pause(key, pauseMs);
      });
    },
  };
}
