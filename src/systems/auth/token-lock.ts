import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A lease that lets one worker refresh a system's token while the others wait for its result.
 * `acquire` answers a release function, or undefined when another holder has it. Leases expire
 * on their own (ttlMs), so a worker that dies while refreshing blocks nobody for long.
 */
export interface TokenLock {
  acquire(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
}

/** One process: embedded mode, where the in-process single-flight already covers every caller. */
export function createLocalTokenLock(now: () => number = Date.now): TokenLock {
  const held = new Map<string, { owner: string; until: number }>();
  return {
    acquire(key, ttlMs) {
      const current = held.get(key);
      if (current !== undefined && current.until > now()) return Promise.resolve(undefined);
      const owner = randomUUID();
      held.set(key, { owner, until: now() + ttlMs });
      return Promise.resolve(() => {
        if (held.get(key)?.owner === owner) held.delete(key);
        return Promise.resolve();
      });
    },
  };
}

// Deletes the lease only when this owner still holds it (it may have expired and moved on).
const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Several workers: a Redis lease (SET NX PX), the same Redis that shares rate limits. */
export function createRedisTokenLock(redis: Redis, prefix = 'conflux:token-lock:'): TokenLock {
  return {
    async acquire(key, ttlMs) {
      const owner = randomUUID();
      const ok = await redis.set(`${prefix}${key}`, owner, 'PX', ttlMs, 'NX');
      if (ok !== 'OK') return undefined;
      return async () => {
        await redis.eval(RELEASE, 1, `${prefix}${key}`, owner);
      };
    },
  };
}
