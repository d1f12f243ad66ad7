import { ConfluxError } from '../../../errors/index.ts';
import type { QuotaTier, Tiered } from '../../../project/index.ts';
import type { QuotaSetting } from '../../../store/index.ts';
import type { Policy } from '../../config.ts';
import type { RequestContext } from '../../context.ts';
import { compileTiers, type PlanLookup, storedTiers, subjectOf } from '../plan.ts';
import type { QuotaCounter } from './quota-counter.ts';

export interface QuotaPolicyOptions {
  readonly settings: Tiered<QuotaTier>;
  readonly scope: string;
  readonly counter: QuotaCounter;
  readonly planOf: PlanLookup;
}

type PeriodName = 'hour' | 'day' | 'month';

interface Period {
  readonly name: PeriodName;
  readonly limit: number;
}

const ADJECTIVE: Readonly<Record<PeriodName, string>> = { hour: 'hourly', day: 'daily', month: 'monthly' };

/** Start and end (epoch ms, UTC) of the period containing `now`. */
export function periodBounds(name: PeriodName, now: number): { start: number; end: number } {
  const date = new Date(now);
  if (name === 'hour') {
    const start = now - (now % 3_600_000);
    return { start, end: start + 3_600_000 };
  }
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
 * Quotas per consumer and plan per UTC day and month (and hour, for stored plans), counted in
 * the store (see quota-counter.ts). A consumer whose stored plan sets a quota gets that quota;
 * everyone else the API file's tier of their plan (precedence: plan.ts). A request counts against every period of its tier; the first exhausted
 * one refuses with 429 GATEWAY_QUOTA_EXCEEDED and Retry-After until the period ends.
 */
export function createQuotaPolicy(options: QuotaPolicyOptions): Policy {
  const tierOf = compileTiers(options.settings, (tier, plan) => {
    const periods: Period[] = [];
    if (tier.perDay !== undefined) periods.push({ name: 'day', limit: tier.perDay });
    if (tier.perMonth !== undefined) periods.push({ name: 'month', limit: tier.perMonth });
    return { plan, periods };
  });
  const storedTierOf = storedTiers((setting: QuotaSetting, plan) => ({
    plan,
    periods: [{ name: setting.period, limit: setting.requests }],
  }));

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
          `The ${ADJECTIVE[period.name]} quota of plan ${plan} (${period.limit} requests) is used up; it renews in ${retryAfter} s.`,
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
      const stored = ctx.consumer?.planLimits?.quota;
      const tier = stored == null ? tierOf(plan) : storedTierOf(plan, stored);
      if (tier === undefined || tier.periods.length === 0) return;
      return check(ctx, tier.plan, tier.periods);
    },
  };
}
