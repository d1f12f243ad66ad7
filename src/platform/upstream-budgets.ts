import type { Redis } from 'ioredis';
import type { Logger, Metrics } from '../observability/index.ts';
import type { Store } from '../store/index.ts';
import {
  type BudgetBackend,
  createMemoryBudgetBackend,
  createRedisBudgetBackend,
  createStoreBudgetBackend,
  createUpstreamBudgets,
  type UpstreamBudgets,
} from '../systems/index.ts';

const WARN_EVERY_MS = 10_000;

/**
 * Where upstream budgets live: Redis when configured (one Lua round trip a decision; while it
 * fails, decisions fall open onto this process's budgets), else the store when it is
 * PostgreSQL (processes share it), else this process (embedded SQLite runs one process).
 * `redis` is asked at every use: the client is created after the systems runtime.
 */
export function createPlatformBudgets(deps: {
  readonly store: Store;
  readonly redis: () => Redis | undefined;
  readonly metrics: Metrics;
  readonly logger: Logger;
}): UpstreamBudgets {
  const local = createMemoryBudgetBackend();
  const withoutRedis =
    deps.store.dialect === 'postgres' ? createStoreBudgetBackend(deps.store.budgets) : local;
  let shared: { redis: Redis; backend: BudgetBackend } | undefined;
  let lastWarn = 0;
  const onError = (error: unknown) => {
    deps.metrics.rateLimitBackendErrors.inc({ backend: 'budget-redis' });
    if (Date.now() - lastWarn < WARN_EVERY_MS) return;
    lastWarn = Date.now();
    deps.logger.warn({ err: error }, 'upstream budgets: Redis failed; budgets fall back to this process');
  };
  return createUpstreamBudgets({
    metrics: deps.metrics,
    logger: deps.logger,
    backend: () => {
      const redis = deps.redis();
      if (redis === undefined) return withoutRedis;
      if (shared?.redis !== redis)
        shared = { redis, backend: createRedisBudgetBackend({ redis, fallback: local, onError }) };
      return shared.backend;
    },
  });
}
