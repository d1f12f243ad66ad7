import type { Tiered } from '../../project/index.ts';
import type { RequestContext } from '../context.ts';

/**
 * Which plan a request counts against: the plan of the consumer the authentication policy set
 * (undefined → `default`). The limits of that plan are decided per request, in this order:
 *   1. the consumer's plan as stored (admin API, `Consumer.planLimits`), when it sets a rate
 *      limit (or a quota): those values, on every API that authenticates its consumers;
 *   2. otherwise the API file's tier of the same name (`plans.<name>`);
 *   3. otherwise the API file's `default` tier; without one, no limit.
 * The stored values arrive with the consumer record (cached ≤ 2 s), so a plan change or a
 * change of a plan's limits applies to the consumer's next requests on every process.
 */
export type PlanLookup = (ctx: RequestContext) => string;

export const planOfConsumer: PlanLookup = (ctx) => ctx.consumer?.plan ?? 'default';

/** Who a limit counts: the consumer, or the client address for anonymous callers. */
export function subjectOf(ctx: RequestContext): string {
  return ctx.consumer === undefined
    ? `ip:${ctx.req.socket.remoteAddress ?? 'unknown'}`
    : `consumer:${ctx.consumer.name}`;
}

/** Compiles each tier once; a plan without a tier of its own falls back to `default`. */
export function compileTiers<T, C>(
  settings: Tiered<T>,
  compile: (tier: T, plan: string) => C,
): (plan: string) => C | undefined {
  const fallback = settings.default === undefined ? undefined : compile(settings.default, 'default');
  const plans = new Map<string, C>();
  for (const [plan, tier] of Object.entries(settings.plans ?? {})) plans.set(plan, compile(tier, plan));
  return (plan) => plans.get(plan) ?? fallback;
}

/**
 * Compiled tiers of stored plans. Keyed by the setting object itself: the consumer cache hands
 * out the same plan record (and so the same setting object) until it refreshes, so a request
 * costs a WeakMap lookup, a changed plan compiles anew, and dropped records are collected.
 */
export function storedTiers<S extends object, C>(
  compile: (setting: S, plan: string) => C,
): (plan: string, setting: S) => C {
  const compiled = new WeakMap<S, C>();
  return (plan, setting) => {
    let tier = compiled.get(setting);
    if (tier === undefined) {
      tier = compile(setting, plan);
      compiled.set(setting, tier);
    }
    return tier;
  };
}
