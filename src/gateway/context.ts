import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraceContext } from '../observability/index.ts';
import type { CompiledRoute } from './config.ts';

/** The authenticated caller, once a policy has established it. */
export interface Consumer {
  readonly name: string;
  readonly keyId: string;
  readonly scopes: readonly string[];
}

/** Everything one request carries through the lifecycle; created in onRequest, read by all. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly correlationId: string;
  /** This hop's span within the caller's trace (or a new trace). */
  readonly trace: TraceContext;
  readonly startedAt: bigint;
  /** Path without the query string. */
  readonly path: string;
  readonly query: string;
  route: CompiledRoute | undefined;
  params: Record<string, string>;
  consumer: Consumer | undefined;
  /** Milliseconds spent waiting on the upstream, for the access log. */
  upstreamMs: number | undefined;
  /** Which policy rejected the request, for the problem body and the access log. */
  rejectedBy: string | undefined;
}
