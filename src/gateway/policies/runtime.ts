import type { Redis } from 'ioredis';
import type { Logger, Metrics } from '../../observability/index.ts';
import type { QuotaRepository } from '../../store/index.ts';
import { createMemoryCache, createRedisCache, type ResponseCache } from './cache/cache-store.ts';
import { type PlanLookup, planOfConsumer } from './plan.ts';
import { createQuotaCounter, type QuotaCounter } from './quota/quota-counter.ts';
import type { RateLimiter } from './rate-limit/gcra.ts';
import { createLocalLimiter } from './rate-limit/local-limiter.ts';
import { createRedisLimiter } from './rate-limit/redis-limiter.ts';

export interface PolicyRuntimeOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Shared rate limits (and cache) across gateway processes; local memory when absent. */
  readonly redis?: Redis;
  /** Stored quota counters; quotas are refused at compile time without them. */
  readonly quotas?: QuotaRepository;
  readonly planOf?: PlanLookup;
  /** Bounds of the in-memory response cache. */
  readonly cache?: { readonly maxEntries?: number; readonly maxBytes?: number };
}

/**
 * The state policies keep across configuration generations: a reload must not reset rate
 * limits, quotas or the cache. Created once per process by the composition root.
 */
export interface PolicyRuntime {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly limiter: RateLimiter;
  readonly redis: Redis | undefined;
  readonly quotas: QuotaCounter | undefined;
  readonly cache: ResponseCache;
  readonly planOf: PlanLookup;
  /** Writes pending quota counts (SIGTERM). */
  close(): Promise<void>;
}

export function createPolicyRuntime(options: PolicyRuntimeOptions): PolicyRuntime {
  const local = createLocalLimiter();
  const limiter =
    options.redis === undefined
      ? local
      : createRedisLimiter({
          redis: options.redis,
          fallback: local,
          errors: options.metrics.rateLimitBackendErrors,
          logger: options.logger,
        });
  const quotas =
    options.quotas === undefined
      ? undefined
      : createQuotaCounter({ repository: options.quotas, logger: options.logger });
  return {
    logger: options.logger,
    metrics: options.metrics,
    limiter,
    redis: options.redis,
    quotas,
    cache:
      options.redis === undefined
        ? createMemoryCache(options.cache ?? {})
        : createRedisCache(options.redis, options.metrics, options.logger),
    planOf: options.planOf ?? planOfConsumer,
    close: async () => {
      await quotas?.close();
    },
  };
}
