import type { Redis } from 'ioredis';
import type { Logger, Metrics } from '../../../observability/index.ts';
import type { GcraLimit, LimitDecision, RateLimiter } from './gcra.ts';
import type { LocalLimiter } from './local-limiter.ts';

/**
 * decide() of gcra.ts in Lua: every limit of a key checked and (when all allow) updated in ONE
 * atomic round trip. Time comes from the Redis server (TIME), so gateway processes with skewed
 * clocks still share one timeline. ARGV holds interval and tolerance per key, in ms.
 */
const GCRA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local allowed = 1
local binding = 1
local retry = 0
local remaining = -1
local newTats = {}
for i = 1, #KEYS do
  local interval = tonumber(ARGV[2 * i - 1])
  local tolerance = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i])) or now
  if tat < now then tat = now end
  local newTat = tat + interval
  newTats[i] = newTat
  local excess = newTat - now - tolerance
  if excess > 0 then
    if allowed == 1 or excess > retry then binding = i; retry = excess end
    allowed = 0
  elseif allowed == 1 then
    local left = math.floor((tolerance - (newTat - now)) / interval)
    if remaining < 0 or left < remaining then remaining = left; binding = i end
  end
end
local interval = tonumber(ARGV[2 * binding - 1])
if allowed == 1 then
  for i = 1, #KEYS do
    redis.call('SET', KEYS[i], string.format('%.3f', newTats[i]), 'PX', math.ceil(newTats[i] - now) + 1)
  end
  return {1, binding, remaining, math.ceil(newTats[binding] - now), 0}
end
return {0, binding, 0, math.ceil(newTats[binding] - interval - now), math.ceil(retry)}
`;

type GcraCommand = (...args: (string | number)[]) => Promise<[number, number, number, number, number]>;

export interface SharedLimiterOptions {
  readonly redis: Redis;
  /** Where checks go when Redis fails: the documented fail-open mode. */
  readonly fallback: LocalLimiter;
  readonly errors: Metrics['rateLimitBackendErrors'];
  readonly logger: Logger;
  readonly prefix?: string;
}

/**
 * The Redis-backed limiter shared by every gateway process. When Redis fails (unreachable,
 * timeout, script error) the check falls open onto the process-local limiter: callers keep
 * being limited per process, never refused with a misleading 401/403/500. Each failure counts
 * in conflux_ratelimit_backend_errors_total; the warning is logged at most every 10 s.
 */
export function createRedisLimiter(options: SharedLimiterOptions): RateLimiter {
  const prefix = options.prefix ?? 'conflux:rl:';
  const redis = options.redis as Redis & { confluxGcra?: GcraCommand };
  if (redis.confluxGcra === undefined) redis.defineCommand('confluxGcra', { lua: GCRA_SCRIPT });
  const command = (redis.confluxGcra as GcraCommand).bind(redis);
  let lastWarn = 0;

  function fallOpen(error: unknown, key: string, limits: readonly GcraLimit[]): LimitDecision {
    options.errors.inc({ backend: 'redis' });
    const now = Date.now();
    if (now - lastWarn > 10_000) {
      lastWarn = now;
      options.logger.warn(
        { err: error },
        'rate-limit backend (Redis) failed; falling open onto the local limiter',
      );
    }
    return options.fallback.check(key, limits);
  }

  return {
    check(key, limits) {
      const args: (string | number)[] = [limits.length];
      for (const limit of limits) args.push(`${prefix}${key}|${limit.name}`);
      for (const limit of limits) args.push(limit.intervalMs, limit.toleranceMs);
      return command(...args).then(
        ([allowed, binding, remaining, resetMs, retryAfterMs]) => ({
          allowed: allowed === 1,
          limit: limits[binding - 1] as GcraLimit,
          remaining,
          resetMs,
          retryAfterMs,
        }),
        (error: unknown) => fallOpen(error, key, limits),
      );
    },
  };
}
