import type { RequestContext } from './context.ts';
import type { Router } from './router.ts';

/** A policy decides about a request before its target runs; it rejects by throwing. */
export interface Policy {
  readonly name: string;
  apply(ctx: RequestContext): Promise<void> | void;
}

/** A target answers a request that every policy allowed. */
export type TargetHandler = (ctx: RequestContext) => Promise<void>;

export interface CompiledRoute {
  readonly api: string;
  /** Full path template including the API's base path: the metrics and log label. */
  readonly template: string;
  readonly method: string;
  readonly policies: readonly Policy[];
  readonly handler: TargetHandler;
}

export interface WebhookEndpoint {
  readonly flow: string;
  readonly handler: TargetHandler;
}

/**
 * One immutable generation of the gateway's configuration. A reload builds a new one and
 * swaps a single reference; a request keeps the generation it started with to its end.
 */
export interface GatewayConfig {
  readonly router: Router<CompiledRoute>;
  readonly webhooks: ReadonlyMap<string, WebhookEndpoint>;
}
