import type {
  ConsumerKind,
  ConsumerRecord,
  PlanRecord,
  QuotaSetting,
  RateLimitSetting,
  Store,
} from '../store/index.ts';

/**
 * A consumer as credentials see it: its record joined with its plan, and what the two allow
 * together. Cached for a couple of seconds per process: that bound is how late a disable, a
 * plan change or a scope change takes effect on a gateway process it was not made on.
 */
export interface ResolvedConsumer {
  readonly name: string;
  readonly type: ConsumerKind;
  readonly plan: string | null;
  readonly disabled: boolean;
  /** Consumer scopes, narrowed by the plan's scopes when the plan names any. */
  readonly scopes: readonly string[];
  /** APIs the consumer and its plan both allow; null: every API. */
  readonly apis: readonly string[] | null;
  readonly planRecord: PlanRecord | undefined;
  /**
   * The stored plan's rate limit and quota (one object per cached resolution, so the gateway
   * compiles them once); undefined without a stored plan.
   */
  readonly planLimits:
    | { readonly rateLimit: RateLimitSetting | null; readonly quota: QuotaSetting | null }
    | undefined;
}

export interface ConsumerDirectory {
  /** undefined: no consumer record of that name (a legacy, ad-hoc consumer name). */
  resolve(name: string): Promise<ResolvedConsumer | undefined>;
  /** Forgets everything cached here (this process sees its own changes at once). */
  invalidate(): void;
}

export function createConsumerDirectory(options: {
  readonly store: Pick<Store, 'consumers' | 'plans'>;
  readonly cacheTtlMs?: number;
  readonly now?: () => number;
}): ConsumerDirectory {
  const ttl = options.cacheTtlMs ?? 2_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: ResolvedConsumer | undefined; until: number }>();
  return {
    async resolve(name) {
      const hit = cache.get(name);
      if (hit !== undefined && hit.until > now()) return hit.value;
      const record = await options.store.consumers.get(name);
      const plan =
        record?.plan === null || record === undefined
          ? undefined
          : await options.store.plans.get(record.plan);
      const value = record === undefined ? undefined : resolveConsumer(record, plan);
      if (cache.size > 10_000) cache.clear();
      cache.set(name, { value, until: now() + ttl });
      return value;
    },
    invalidate() {
      cache.clear();
    },
  };
}

export function resolveConsumer(record: ConsumerRecord, plan: PlanRecord | undefined): ResolvedConsumer {
  const planScopes = plan !== undefined && plan.scopes.length > 0 ? new Set(plan.scopes) : undefined;
  return {
    name: record.name,
    type: record.type,
    plan: record.plan,
    disabled: record.disabledAt !== null,
    scopes: planScopes === undefined ? record.scopes : record.scopes.filter((scope) => planScopes.has(scope)),
    apis: intersect(record.apis, plan?.apis ?? null),
    planRecord: plan,
    planLimits: plan === undefined ? undefined : { rateLimit: plan.rateLimit, quota: plan.quota },
  };
}

function intersect(a: readonly string[] | null, b: readonly string[] | null): readonly string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  const other = new Set(b);
  return a.filter((name) => other.has(name));
}

/** Least privilege: the names in `requested` that `allowed` does not contain. */
export function scopesBeyond(requested: readonly string[], allowed: readonly string[]): string[] {
  const granted = new Set(allowed);
  return requested.filter((scope) => !granted.has(scope));
}
