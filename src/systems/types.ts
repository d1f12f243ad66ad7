/**
 * A system's operations as read from its API description: everything the gateway, the engine,
 * the mock server and (later) agent tools need to call or imitate an operation.
 */
import type { JsonSchema } from '../project/index.ts';

export interface OperationParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly schema: JsonSchema;
}

export interface OperationResponse {
  readonly status: string; // '200', '2XX', 'default'
  readonly contentType?: string;
  readonly schema?: JsonSchema;
  /** The description's own example for this response, when it has one. */
  readonly example?: unknown;
}

export interface Operation {
  /** operationId, or derived from method + path when the description has none. */
  readonly id: string;
  readonly method: string;
  /** Path template as in the description, e.g. `/stock/{sku}`. */
  readonly path: string;
  readonly summary?: string;
  readonly parameters: readonly OperationParameter[];
  readonly requestBody?: {
    readonly required: boolean;
    readonly contentType: string;
    readonly schema?: JsonSchema;
  };
  readonly responses: readonly OperationResponse[];
  /** JSON Schema of the operation's input: `{ <param>: ..., body: ... }`. */
  readonly inputSchema: JsonSchema;
}

export interface SystemDescription {
  readonly title: string;
  readonly version: string;
  /** OpenAPI version of the source document: '2.0', '3.0.x', '3.1.x'. */
  readonly specVersion: string;
  readonly servers: readonly string[];
  readonly operations: ReadonlyMap<string, Operation>;
  /** Unsupported constructs met while reading, by JSON pointer; never silently dropped. */
  readonly warnings: readonly { readonly pointer: string; readonly message: string }[];
}

/** What a call to a system operation answers. */
export interface SystemResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export interface CallOptions {
  readonly correlationId: string;
  readonly traceparent?: string;
  /** Sent as `Idempotency-Key` so that a retried call is safe where the system supports it. */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

/** Calls system operations by name: `call('inventory', 'checkStock', { sku: 'A1' })`. */
export interface SystemCaller {
  call(
    system: string,
    operation: string,
    input: Record<string, unknown>,
    options: CallOptions,
  ): Promise<SystemResponse>;
}
