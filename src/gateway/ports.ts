import type { BudgetAnswer, Operation } from '../systems/index.ts';

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
  run(
    flow: string,
    input: unknown,
    options: FlowRunOptions & { readonly timeoutMs: number },
  ): Promise<FlowOutcome>;
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
  /** The system's upstream budget (rate, concurrency, pauses), shared with flows and composite routes. */
  readonly budget?: OperationBudget;
  /** Credentials for the system, fetched from the vault per call (rotation needs no restart). */
  credentials(): Promise<{
    readonly headers: Record<string, string>;
    readonly query: Record<string, string>;
  }>;
}

/** One system's upstream budget as the gateway uses it (src/systems/budget). */
export interface OperationBudget {
  /** Waits for room up to `timeoutMs`; rejects with SYSTEM_BUDGET_EXHAUSTED (503, `details.retryAfterMs`) after that. */
  acquire(options: { readonly timeoutMs: number }): Promise<{
    /** Ends the try with the answer's status, Retry-After and quota headers; never rejects. */
    finish(answer?: BudgetAnswer): Promise<void>;
  }>;
}

export interface UpstreamDirectory {
  operation(system: string, operation: string): UpstreamOperation;
  /** The operation as its system's API description states it (OpenAPI documents), when known. */
  describe?(system: string, operation: string): Operation | undefined;
}

/** What a call to a system operation answered (composite routes merge these bodies). */
export interface OperationResult {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** Calls a system operation by name with typed input; rejects on a non-2xx answer. */
export interface OperationCaller {
  call(
    system: string,
    operation: string,
    input: Record<string, unknown>,
    options: { readonly correlationId: string; readonly traceparent: string; readonly signal: AbortSignal },
  ): Promise<OperationResult>;
}

/** Mock servers that answer a system's operations from its API description (mock routes). */
export interface MockDirectory {
  operation(
    system: string,
    operation: string,
  ): { readonly pathTemplate: string; readonly method: string; origin(): Promise<string> };
}

/** One call of a partner API, kept in the audit trail. */
export interface AuditEvent {
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly api: string;
  readonly route: string;
  readonly status: number;
  readonly correlationId: string;
  readonly details: Record<string, unknown>;
}

/** Where audit events go; `record` must not throw (it logs its own failures). */
export interface AuditSink {
  record(event: AuditEvent): void;
}
