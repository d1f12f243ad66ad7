import type { Redis } from 'ioredis';
import type { Logger, Metrics } from '../../../observability/index.ts';

export interface CachedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
  readonly storedAt: number;
  readonly expiresAt: number;
}

export interface ResponseCache {
  /** Memory answers synchronously; Redis with a promise. Expired entries are misses. */
  get(key: string): CachedResponse | undefined | Promise<CachedResponse | undefined>;
  set(key: string, entry: CachedResponse): void;
}

/**
 * A bounded LRU in memory: a Map keeps insertion order, so re-inserting on each hit makes the
 * first key the least recently used. Bounded by entries and by total body bytes.
 */
export function createMemoryCache(bounds: {
  readonly maxEntries?: number;
  readonly maxBytes?: number;
}): ResponseCache {
  const maxEntries = bounds.maxEntries ?? 10_000;
  const maxBytes = bounds.maxBytes ?? 64 * 1_048_576;
  const entries = new Map<string, CachedResponse>();
  let bytes = 0;

  function remove(key: string, entry: CachedResponse): void {
    entries.delete(key);
    bytes -= entry.body.length;
  }

  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      remove(key, entry);
      if (entry.expiresAt <= Date.now()) return undefined;
      entries.set(key, entry);
      bytes += entry.body.length;
      return entry;
    },
    set(key, entry) {
      if (entry.body.length > maxBytes) return;
      const previous = entries.get(key);
      if (previous !== undefined) remove(key, previous);
      entries.set(key, entry);
      bytes += entry.body.length;
      while (entries.size > maxEntries || bytes > maxBytes) {
        const [oldestKey, oldest] = entries.entries().next().value as [string, CachedResponse];
        remove(oldestKey, oldest);
      }
    },
  };
}

/**
 * The cache in Redis, shared by gateway processes; Redis expires entries itself (PX). A Redis
 * failure is a miss (and a write is skipped), never an error for the caller.
 */
export function createRedisCache(
  redis: Redis,
  metrics: Metrics,
  logger: Logger,
  prefix = 'conflux:cache:',
): ResponseCache {
  let lastWarn = 0;
  const failed = (error: unknown): undefined => {
    metrics.rateLimitBackendErrors.inc({ backend: 'redis-cache' });
    if (Date.now() - lastWarn > 10_000) {
      lastWarn = Date.now();
      logger.warn({ err: error }, 'response cache backend (Redis) failed; serving without the cache');
    }
    return undefined;
  };
  return {
    get(key) {
      return redis.getBuffer(`${prefix}${key}`).then((raw) => {
        if (raw === null) return undefined;
        const headerLength = raw.readUInt32BE(0);
        const meta = JSON.parse(raw.subarray(4, 4 + headerLength).toString('utf8')) as Omit<
          CachedResponse,
          'body'
        >;
        return { ...meta, body: raw.subarray(4 + headerLength) };
      }, failed);
    },
    set(key, entry) {
      const meta = Buffer.from(
        JSON.stringify({
          status: entry.status,
          headers: entry.headers,
          storedAt: entry.storedAt,
          expiresAt: entry.expiresAt,
        }),
      );
      const length = Buffer.alloc(4);
      length.writeUInt32BE(meta.length);
      const ttl = Math.max(1, Math.ceil(entry.expiresAt - Date.now()));
      redis.set(`${prefix}${key}`, Buffer.concat([length, meta, entry.body]), 'PX', ttl).catch(failed);
    },
  };
}
