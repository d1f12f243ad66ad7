/**
 * What the gateway needs from the rest of the platform, stated as narrow ports so that the
 * gateway depends on no sibling's implementation (the composition root wires them).
 */

export interface FlowRunOptions {
  readonly triggerType: 'route' | 'webhook';
  readonly correlationId: string;
  readonly traceparent: string;
}

export interface FlowOutcome {
  readonly runId: string;
  readonly status: string;
  readonly output: unknown;
  readonly error: unknown;
}

export interface FlowRunner {
  /** Starts a durable run and waits for its end (sync webhooks and flow routes). */
  run(flow: string, input: unknown, options: FlowRunOptions & { readonly timeoutMs: number }): Promise<FlowOutcome>;
  /** Starts a durable run and returns once it is stored (async webhooks: 202). */
  enqueue(flow: string, input: unknown, options: FlowRunOptions): Promise<{ readonly runId: string }>;
}

/** Where and how to reach one system operation. */
export interface UpstreamOperation {
  /** `http://host:port` — one keep-alive pool per origin. */
  readonly origin: string;
  /** Base path of the system plus the operation's template, e.g. `/api/stock/{sku}`. */
  readonly pathTemplate: string;
  readonly method: string;
  readonly timeoutMs: number;
  /** Credentials for the system, fetched from the vault per call (rotation needs no restart). */
  credentials(): Promise<{ readonly headers: Record<string, string>; readonly query: Record<string, string> }>;
}

export interface UpstreamDirectory {
  operation(system: string, operation: string): UpstreamOperation;
}
