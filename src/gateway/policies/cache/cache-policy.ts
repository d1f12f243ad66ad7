import type { Metrics } from '../../../observability/index.ts';
import type { CacheSettings } from '../../../project/index.ts';
import type { TargetHandler } from '../../config.ts';
import type { RequestContext } from '../../context.ts';
import { captureResponse } from '../capture-response.ts';
import type { CachedResponse, ResponseCache } from './cache-store.ts';

export const cacheDefaults = { ttlSeconds: 60 } as const;

/** Never stored or replayed: they belong to one connection or one client. */
const UNCACHEABLE_HEADERS = [
  'set-cookie',
  'connection',
  'keep-alive',
  'x-request-id',
  'ratelimit',
  'ratelimit-policy',
  'age',
  'x-cache',
];

export interface CachePolicyOptions {
  readonly settings: CacheSettings;
  readonly api: string;
  readonly store: ResponseCache;
  readonly metrics: Metrics;
}

/**
 * The response cache, wrapped around the target (it runs after every request policy, so a
 * hit still counts against rate limits and quotas). GET and HEAD only. The key varies on
 * method, path, query, consumer and the configured headers. Freshness follows the upstream's
 * Cache-Control as a shared cache (RFC 9111): no-store, no-cache and private are not stored;
 * s-maxage wins over max-age; without either, `ttlSeconds` applies. Answers carry
 * `x-cache: HIT|MISS` and an `Age` on hits.
 */
export function createCacheWrapper(options: CachePolicyOptions): (next: TargetHandler) => TargetHandler {
  const ttlMs = (options.settings.ttlSeconds ?? cacheDefaults.ttlSeconds) * 1000;
  const vary = (options.settings.varyHeaders ?? []).map((name) => name.toLowerCase());
  const hit = options.metrics.cacheLookups.labels({ api: options.api, outcome: 'hit' });
  const miss = options.metrics.cacheLookups.labels({ api: options.api, outcome: 'miss' });

  function keyOf(ctx: RequestContext): string {
    let key = `${options.api}|${ctx.req.method}|${ctx.path}?${ctx.query}|${ctx.consumer?.name ?? ''}`;
    for (const name of vary) key += `|${String(ctx.req.headers[name] ?? '')}`;
    return key;
  }

  function serve(ctx: RequestContext, entry: CachedResponse): void {
    hit.inc();
    const age = Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000));
    ctx.res.writeHead(entry.status, {
      ...entry.headers,
      age: String(age),
      'x-cache': 'HIT',
      'content-length': String(entry.body.length),
    });
    ctx.res.end(ctx.req.method === 'HEAD' ? undefined : entry.body);
  }

  return (next) => (ctx) => {
    const method = ctx.req.method;
    if (method !== 'GET' && method !== 'HEAD') return next(ctx);
    const key = keyOf(ctx);
    const found = options.store.get(key);
    const proceed = (entry: CachedResponse | undefined): Promise<void> => {
      if (entry !== undefined) {
        serve(ctx, entry);
        return Promise.resolve();
      }
      miss.inc();
      ctx.res.setHeader('x-cache', 'MISS');
      const restore = captureResponse(ctx.res, (captured, send) => {
        const lifetime = freshnessMs(captured.headers['cache-control'], ttlMs);
        if (captured.status === 200 && lifetime > 0 && method === 'GET') {
          const headers = { ...captured.headers };
          for (const name of UNCACHEABLE_HEADERS) delete headers[name];
          const now = Date.now();
          options.store.set(key, {
            status: captured.status,
            headers,
            body: captured.body,
            storedAt: now,
            expiresAt: now + lifetime,
          });
        }
        send(captured);
      });
      return next(ctx).catch((error: unknown) => {
        restore();
        throw error;
      });
    };
    return found instanceof Promise ? found.then(proceed) : proceed(found);
  };
}

/** Milliseconds a response may be served from a shared cache; 0 = do not store. */
export function freshnessMs(cacheControl: string | string[] | undefined, fallbackMs: number): number {
  if (cacheControl === undefined) return fallbackMs;
  const text = (Array.isArray(cacheControl) ? cacheControl.join(',') : cacheControl).toLowerCase();
  if (/(^|[\s,])(no-store|no-cache|private)($|[\s,=])/.test(text)) return 0;
  const shared = /(?:^|[\s,])s-maxage\s*=\s*"?(\d+)/.exec(text);
  if (shared !== null) return Number(shared[1]) * 1000;
  const max = /(?:^|[\s,])max-age\s*=\s*"?(\d+)/.exec(text);
  if (max !== null) return Number(max[1]) * 1000;
  return fallbackMs;
}
