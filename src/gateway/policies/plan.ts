import type { Tiered } from '../../project/index.ts';
import type { RequestContext } from '../context.ts';

/**
 * Which plan a request counts against. Today the plan is an attribute of the consumer that the
 * authentication policy set (undefined → `default`); when plans live in the store this lookup
 * is the one function to replace.
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
