import { ConfluxError } from '../../../errors/index.ts';
import type { RateLimitTier, Tiered } from '../../../project/index.ts';
import type { RateLimitSetting } from '../../../store/index.ts';
import type { Policy } from '../../config.ts';
import type { RequestContext } from '../../context.ts';
import { compileTiers, type PlanLookup, storedTiers, subjectOf } from '../plan.ts';
import { type GcraLimit, type LimitDecision, limitOf, limitsOf, type RateLimiter } from './gcra.ts';

export interface RateLimitPolicyOptions {
  readonly settings: Tiered<RateLimitTier>;
  /** Where the limit's state lives: the API, or the API and route for a route-level limit. */
  readonly scope: string;
  readonly limiter: RateLimiter;
  readonly planOf: PlanLookup;
}

interface CompiledTier {
  readonly plan: string;
  readonly limits: readonly GcraLimit[];
  /** RateLimit-Policy header value, built once. */
  readonly policyHeader: string;
}

function compiled(plan: string, limits: readonly GcraLimit[]): CompiledTier {
  return {
    plan,
    limits,
    policyHeader: limits
      .map((limit) => `"${limit.name}";q=${limit.quota};w=${limit.windowSeconds}`)
      .join(', '),
  };
}

/**
 * Rate limits per consumer and plan with GCRA. A consumer whose stored plan sets a rate limit
 * gets that limit; everyone else the API file's tier of their plan (precedence: plan.ts). Every answer carries the IETF draft's
 * structured-field headers (draft-ietf-httpapi-ratelimit-headers):
 *   RateLimit-Policy: "second";q=10;w=1, "minute";q=100;w=60
 *   RateLimit: "second";r=7;t=1
 * A refused request is 429 problem+json (GATEWAY_RATE_LIMITED) with Retry-After.
 */
export function createRateLimitPolicy(options: RateLimitPolicyOptions): Policy {
  const tierOf = compileTiers(options.settings, (tier, plan) => compiled(plan, limitsOf(tier)));
  const storedTierOf = storedTiers((setting: RateLimitSetting, plan) =>
    compiled(plan, [limitOf(setting.requests, setting.perSeconds)]),
  );

  function finish(ctx: RequestContext, tier: CompiledTier, decision: LimitDecision): void {
    const res = ctx.res;
    res.setHeader('ratelimit-policy', tier.policyHeader);
    res.setHeader(
      'ratelimit',
      `"${decision.limit.name}";r=${decision.remaining};t=${Math.max(0, Math.ceil(decision.resetMs / 1000))}`,
    );
    if (decision.allowed) return;
    const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    res.setHeader('retry-after', String(retryAfter));
    throw new ConfluxError(
      'GATEWAY_RATE_LIMITED',
      `Rate limit "${decision.limit.name}" of plan ${tier.plan} (${decision.limit.quota} per ${decision.limit.name}) is exhausted; retry after ${retryAfter} s.`,
      {
        details: {
          limit: decision.limit.name,
          plan: tier.plan,
          quota: decision.limit.quota,
          windowSeconds: decision.limit.windowSeconds,
          retryAfterSeconds: retryAfter,
        },
      },
    );
  }

  return {
    name: 'rate-limit',
    apply(ctx) {
      const plan = options.planOf(ctx);
      const stored = ctx.consumer?.planLimits?.rateLimit;
      const tier = stored == null ? tierOf(plan) : storedTierOf(plan, stored);
      if (tier === undefined || tier.limits.length === 0) return;
      const result = options.limiter.check(`${options.scope}|${tier.plan}|${subjectOf(ctx)}`, tier.limits);
      // The local limiter answers synchronously; only a shared backend costs a promise.
      if (result instanceof Promise) return result.then((decision) => finish(ctx, tier, decision));
      return finish(ctx, tier, result);
    },
  };
}
