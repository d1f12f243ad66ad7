import { ConfluxError } from '../../../errors/index.ts';
import type { QuotaTier, Tiered } from '../../../project/index.ts';
import type { Policy } from '../../config.ts';
import type { RequestContext } from '../../context.ts';
import { compileTiers, type PlanLookup, subjectOf } from '../plan.ts';
import type { QuotaCounter } from './quota-counter.ts';

export interface QuotaPolicyOptions {
  readonly settings: Tiered<QuotaTier>;
  readonly scope: string;
  readonly counter: QuotaCounter;
  readonly planOf: PlanLookup;
}

interface Period {
  readonly name: 'day' | 'month';
  readonly limit: number;
}

/** Start and end (epoch ms, UTC) of the period containing `now`. */
export function periodBounds(name: 'day' | 'month', now: number): { start: number; end: number } {
  const date = new Date(now);
  if (name === 'day') {
    const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    return { start, end: start + 86_400_000 };
  }
  return {
    start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
    end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1),
  };
}

/**
 * Quotas per consumer and plan per UTC day and month, counted in the store (see
 * quota-counter.ts). A request counts against every period of its tier; the first exhausted
 * one refuses with 429 GATEWAY_QUOTA_EXCEEDED and Retry-After until the period ends.
 */
export function createQuotaPolicy(options: QuotaPolicyOptions): Policy {
  const tierOf = compileTiers(options.settings, (tier, plan) => {
    const periods: Period[] = [];
    if (tier.perDay !== undefined) periods.push({ name: 'day', limit: tier.perDay });
    if (tier.perMonth !== undefined) periods.push({ name: 'month', limit: tier.perMonth });
    return { plan, periods };
  });

  async function check(ctx: RequestContext, plan: string, periods: readonly Period[]): Promise<void> {
    const subject = subjectOf(ctx);
    const now = Date.now();
    for (const period of periods) {
      const { start, end } = periodBounds(period.name, now);
      const taken = await options.counter.take(
        `${options.scope}|${plan}|${subject}|${period.name}`,
        start,
        period.limit,
      );
      if (!taken) {
        const retryAfter = Math.max(1, Math.ceil((end - now) / 1000));
        ctx.res.setHeader('retry-after', String(retryAfter));
        throw new ConfluxError(
          'GATEWAY_QUOTA_EXCEEDED',
          `The ${period.name}ly quota of plan ${plan} (${period.limit} requests) is used up; it renews in ${retryAfter} s.`,
          {
            details: { period: period.name, plan, quota: period.limit, retryAfterSeconds: retryAfter },
          },
        );
      }
    }
  }

  return {
    name: 'quota',
    apply(ctx) {
      const plan = options.planOf(ctx);
      const tier = tierOf(plan);
      if (tier === undefined || tier.periods.length === 0) return;
      return check(ctx, tier.plan, tier.periods);
    },
  };
}
