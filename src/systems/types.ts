/**
 * A system's operations as read from its API description: everything the gateway, the engine,
 * the mock server and (later) agent tools need to call or imitate an operation.
 */
import type { SoapBinding } from '../adapters/index.ts';
import type { JsonSchema, SystemPagination } from '../project/index.ts';

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
  /** WSDL operations: the body goes out as a SOAP envelope and comes back as JSON. */
  readonly soap?: SoapBinding;
  /** AsyncAPI operations: a message channel instead of an HTTP path. */
  readonly channel?: ChannelBinding;
  /** How a list operation pages (declared in the system file, or detected from the description). */
  readonly pagination?: PaginationStyle;
}

/**
 * An AsyncAPI operation seen from Conflux: `publish` sends to the channel (a publish step),
 * `subscribe` receives from it (an event trigger). `method` is PUBLISH or SUBSCRIBE, `path` the address.
 */
export interface ChannelBinding {
  readonly address: string;
  readonly action: 'publish' | 'subscribe';
  /** Protocols of the document's servers (mqtt, amqp, kafka, ws...). */
  readonly protocols: readonly string[];
  readonly messages: readonly string[];
  readonly payloadSchema?: JsonSchema;
}

/** Pagination styles an operation can declare; see src/systems/pagination. */
export type PaginationStyle = SystemPagination;

export interface SystemDescription {
  /** Which kind of document described the system (`fhir`: a FHIR R4 CapabilityStatement). */
  readonly kind: 'openapi' | 'asyncapi' | 'wsdl' | 'fhir';
  readonly title: string;
  readonly version: string;
  /** Version of the source document: OpenAPI '2.0'/'3.0.x'/'3.1.x', AsyncAPI '2.6.0'/'3.0.0', WSDL '1.1', FHIR '4.0.1'. */
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
  /**
   * GET this URL (a next page the system handed out) with the operation's auth, timeout and
   * retries instead of building the request from the input. Must be on the system's origin.
   */
  readonly url?: string;
}

/** Calls system operations by name: `call('inventory', 'checkStock', { sku: 'A1' })`. */
export interface SystemCaller {
  call(
    system: string,
    operation: string,
    input: Record<string, unknown>,
    options: CallOptions,
  ): Promise<SystemResponse>;
  /**
   * The answers of an operation page after page when it pages (the system file's `pagination`,
   * FHIR searches through Bundle links), else its one answer: how a poll trigger reads every page.
   */
  pages?(
    system: string,
    operation: string,
    input: Record<string, unknown>,
    options: CallOptions,
  ): AsyncIterable<SystemResponse>;
  /**
   * A SUBSCRIBE operation (AsyncAPI channel) as a trigger source, in the engine's TriggerSource
   * shape. `name` identifies the subscriber durably (e.g. `<flow>:<trigger index>`).
   */
  subscribe?(system: string, operation: string, name: string): ChannelSubscription;
}

/** What `subscribe` fires per message; the promise resolves once the run is stored (then the message is acked). */
export interface ChannelSubscription {
  start(
    fire: (input: unknown, meta: { readonly id?: string; readonly correlationId?: string }) => Promise<void>,
  ): Promise<void>;
  stop(): Promise<void>;
}
