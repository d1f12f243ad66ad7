import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span, TraceContext, Tracer } from '../observability/index.ts';
import type { QuotaSetting, RateLimitSetting } from '../store/index.ts';
import type { CompiledRoute } from './config.ts';

/** Who a consumer is to the organisation; decides which API visibilities it may use. */
export type ConsumerType = 'internal' | 'partner' | 'public';

/** The authenticated caller, once a policy has established it. */
export interface Consumer {
  readonly name: string;
  /** Set by credentials that know it; otherwise the platform's consumer lookup decides. */
  readonly type?: ConsumerType;
  readonly keyId: string;
  readonly scopes: readonly string[];
  /** The consumer's plan, which picks rate-limit and quota tiers; undefined → the default tier. */
  readonly plan?: string;
  /** The plan's limits as stored (admin API); set ones win over the API file's tiers (policies/plan.ts). */
  readonly planLimits?: PlanLimits;
}

/** A stored plan's rate limit and quota; null: the API file's tier of the plan's name decides. */
export interface PlanLimits {
  readonly rateLimit: RateLimitSetting | null;
  readonly quota: QuotaSetting | null;
}

/** Everything one request carries through the lifecycle; created in onRequest, read by all. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly correlationId: string;
  /** This hop's span within the caller's trace (or a new trace). */
  readonly trace: TraceContext;
  /** The process's tracer: targets start a client span per upstream call when it is enabled. */
  readonly tracer: Tracer | undefined;
  /** The request's exported span, when tracing is enabled (its context is `trace`). */
  readonly span: Span | undefined;
  readonly startedAt: bigint;
  /** Path without the query string. */
  readonly path: string;
  /** Raw query string; a request transform may rewrite it before the target reads it. */
  query: string;
  /**
   * The request body, once a policy had to read it (threat protection, validation, a body
   * transform). Targets send this instead of streaming `req`, which is then consumed.
   */
  body?: Buffer;
  route: CompiledRoute | undefined;
  params: Record<string, string>;
  consumer: Consumer | undefined;
  /** Milliseconds spent waiting on the upstream, for the access log. */
  upstreamMs: number | undefined;
  /** Which policy rejected the request, for the problem body and the access log. */
  rejectedBy: string | undefined;
  /** What ran, in order, with timings: kept in the trace ring for the admin API. */
  readonly timeline: TimelineStep[];
}

/** One policy or target in a request's trace. */
export interface TimelineStep {
  readonly name: string;
  readonly kind: 'policy' | 'target';
  readonly decision: 'passed' | 'rejected' | 'answered' | 'failed';
  readonly ms: number;
  /** Why a policy rejected or a target failed: the error code. */
  readonly code?: string;
}
