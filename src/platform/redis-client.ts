import { Redis } from 'ioredis';
import type { Logger } from '../observability/index.ts';

/**
 * The Redis client for shared rate limits and the response cache (CONFLUX_REDIS_URL). Commands
 * fail fast instead of queueing while Redis is away (no offline queue, a short command
 * timeout), so the rate limiter falls open onto its local state at once rather than holding
 * requests; ioredis keeps reconnecting in the background. Connection errors are logged at most
 * every 10 s.
 */
export function createRedisClient(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 250,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastWarn = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastWarn < 10_000) return;
    lastWarn = Date.now();
    logger.warn(
      { err: error },
      'Redis connection failed; shared rate limits and cache fall back to this process',
    );
  });
  return redis;
}

/**
 * Waits up to `timeoutMs` for the first connection, so a fresh process does not fall open just
 * because its first requests beat the TCP handshake. Never throws: an unreachable Redis is the
 * documented fail-open mode, not a reason to refuse to start.
 */
export function redisReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    const onReady = () => finish(true);
    function finish(ready: boolean): void {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    }
    redis.once('ready', onReady);
  });
}
