/**
 * The project model: what the YAML files of a project say, after validation against
 * schemas/*.schema.json and reference resolution. Every other module reads the project only
 * through these types; they are frozen once loaded.
 *
 * Every entity records `source` (file, line, column) so that runtime errors can point back
 * at the line that configured them.
 */

import type { PolicySettings } from './policy-settings.ts';

export type * from './policy-settings.ts';

import type {
  ApiRegistration,
  ApiVersioning,
  CompositeTarget,
  MockTarget,
  ResilienceSettings,
} from './api-routing.ts';

export type * from './api-routing.ts';

import type {
  ExtraStepDefinition,
  ExtraTriggerDefinition,
  FlowControl,
  WebhookSignature,
} from './flow-kinds.ts';

export type * from './flow-kinds.ts';

export interface SourceLocation {
  /** Path relative to the project root, e.g. `flows/place-order.yaml`. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface ProjectSettings {
  readonly name: string;
  readonly gateway: { readonly host: string; readonly port: number };
  readonly admin: { readonly host: string; readonly port: number };
  /** Milliseconds SIGTERM may take to drain requests and steps before the process exits. */
  readonly shutdownTimeoutMs: number;
  /** Which `baseUrls` entry of each system applies (dev, staging, prod...). */
  readonly environment: string;
  /** Milliseconds finished runs are kept, per final status, before pruning deletes them. */
  readonly retention: { readonly succeeded: number; readonly failed: number; readonly dead: number };
  /** Hot reload: run the conformance specs against a changed project before applying it. */
  readonly reload: { readonly conformance: boolean };
}

export type SystemAuth =
  | { readonly type: 'none' }
  | {
      readonly type: 'apiKey';
      readonly in: 'header' | 'query' | 'cookie';
      readonly name: string;
      readonly secret: string;
    }
  | { readonly type: 'bearer'; readonly secret: string }
  | { readonly type: 'basic'; readonly username: string; readonly secret: string }
  | OAuth2ClientCredentialsAuth
  | OAuth2AuthorizationCodeAuth
  | {
      readonly type: 'hmac';
      readonly secret: string;
      readonly header: string;
      readonly algorithm: 'sha256' | 'sha512';
      readonly timestampHeader: string;
    }
  | { readonly type: 'mtls'; readonly cert: string; readonly key: string; readonly ca?: string };

/** OAuth 2.0 client credentials: Conflux fetches, caches and refreshes the access token itself. */
export interface OAuth2ClientCredentialsAuth {
  readonly type: 'oauth2ClientCredentials';
  readonly tokenUrl: string;
  readonly clientId: string;
  /** Vault secret holding the client secret. */
  readonly secret: string;
  readonly scopes: readonly string[];
  readonly audience?: string;
  /** Seconds before expiry at which a token is replaced. */
  readonly refreshBeforeSeconds: number;
}

/** OAuth 2.0 authorization code (with PKCE): the system acts on behalf of a user who connected it once. */
export interface OAuth2AuthorizationCodeAuth {
  readonly type: 'oauth2AuthorizationCode';
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  /** Vault secret holding the client secret; absent for public clients (PKCE only). */
  readonly secret?: string;
  readonly scopes: readonly string[];
  readonly refreshBeforeSeconds: number;
}

/** How a list operation pages; see docs/connectors.md. Paths are dotted (`meta.next`). */
export type SystemPagination =
  | {
      readonly style: 'cursor';
      readonly cursorParam: string;
      readonly nextCursor: string;
      readonly items: string;
    }
  | {
      readonly style: 'offset';
      readonly offsetParam: string;
      readonly limitParam: string;
      readonly limit: number;
      readonly items: string;
    }
  | {
      readonly style: 'page';
      readonly pageParam: string;
      readonly firstPage: number;
      readonly items: string;
      readonly sizeParam?: string;
      readonly size?: number;
    }
  | { readonly style: 'link'; readonly items: string }
  | { readonly style: 'next-url'; readonly nextUrl: string; readonly items: string };

/** How hard a system may be called: one budget shared by flows, routes, polls and agents. */
export interface SystemLimits {
  /** Sustained calls per second and how many may go at once on an idle budget (default 1: evenly spaced). */
  readonly rate?: { readonly perSecond: number; readonly burst?: number };
  /** Calls in flight at once. */
  readonly concurrency?: number;
  /** One budget per credential (shared by the systems that use it) instead of per system. */
  readonly perCredential?: boolean;
}

export interface SystemDefinition {
  readonly name: string;
  readonly description?: string;
  /** Absolute path of the system's API description (OpenAPI 2/3.x). */
  readonly descriptionFile: string;
  /**
   * Where the system lives. `mock` serves it in-process from its description (on an
   * ephemeral loopback port), which is how the demo and local development run.
   */
  readonly baseUrl: string | 'mock';
  readonly auth: SystemAuth;
  readonly timeoutMs: number;
  readonly retry: { readonly attempts: number; readonly backoffMs: number };
  /** Pagination per operation id (`*` for every list operation of the system). */
  readonly pagination?: Readonly<Record<string, SystemPagination>>;
  /** Checks answers against the description: `warn` counts and logs drift, `fail` also rejects. */
  readonly responseValidation?: 'off' | 'warn' | 'fail';
  /** The system's upstream budget, shared by every caller in every process (src/systems/budget). */
  readonly limits?: SystemLimits;
  readonly source: SourceLocation;
}

export type RouteTarget =
  | { readonly kind: 'flow'; readonly flow: string }
  | { readonly kind: 'operation'; readonly system: string; readonly operation: string }
  | { readonly kind: 'url'; readonly url: string }
  | CompositeTarget
  | MockTarget;

export interface RouteDefinition {
  readonly method: string;
  /** Path template relative to the API's basePath, e.g. `/orders/{id}`. */
  readonly path: string;
  readonly target: RouteTarget;
  /** Route-level policies; each key present replaces the API's setting of that policy. */
  readonly policies: PolicySettings;
  readonly description?: string;
  /** Versions that have this route; absent means every version of the API. */
  readonly versions?: readonly string[];
  /** Upstream path template for `url` targets (`{param}` and `{path}`, the rest after the route's base). */
  readonly rewrite?: string;
  /** Timeout, retry and circuit breaker towards the upstream; each field replaces the API's. */
  readonly resilience?: ResilienceSettings;
  readonly source: SourceLocation;
}

export interface ApiDefinition {
  readonly name: string;
  /** Prefix for every route, e.g. `/v1`. */
  readonly basePath: string;
  readonly visibility: 'private' | 'partner' | 'public';
  readonly auth: { readonly type: 'apiKey'; readonly header: string } | { readonly type: 'none' } | TokenAuth;
  readonly routes: readonly RouteDefinition[];
  /** API-level policies (docs/gateway-policies.md). */
  readonly policies: PolicySettings;
  readonly description?: string;
  /** Host names the API answers on (`api.example.com`, `*.example.com`); absent: any host. */
  readonly hosts?: readonly string[];
  readonly versioning?: ApiVersioning;
  /** Private APIs: CIDR ranges callers must come from, e.g. 10.0.0.0/8. */
  readonly networks?: readonly string[];
  /** Partner APIs: the partner consumers allowed to call. */
  readonly partners?: readonly string[];
  readonly resilience?: ResilienceSettings;
  /** Public APIs: self-service registration of consumers under a plan. */
  readonly registration?: ApiRegistration;
  readonly source: SourceLocation;
}

export type TriggerDefinition =
  | {
      readonly type: 'webhook';
      /** Path under `/hooks/` on the gateway port. */
      readonly path: string;
      /** `sync` waits for the run and answers its output; `async` answers 202 with the run id. */
      readonly mode: 'sync' | 'async';
      readonly signature?: WebhookSignature;
      readonly source: SourceLocation;
    }
  | {
      readonly type: 'schedule';
      readonly cron: string;
      readonly timezone: string;
      /** The trigger data each scheduled run starts with (a JSONata expression, evaluated per fire). */
      readonly input?: string;
      readonly source: SourceLocation;
    }
  | ExtraTriggerDefinition;

export type StepDefinition =
  | {
      readonly id: string;
      readonly type: 'map';
      /** JSONata expression, inline or loaded from `mappings/<name>.jsonata`. */
      readonly expression: string;
      readonly mapping?: string;
      readonly source: SourceLocation;
    }
  | {
      readonly id: string;
      readonly type: 'call';
      readonly system: string;
      readonly operation: string;
      /**
       * JSONata expression yielding the operation input: an object whose keys name the
       * operation's parameters (path, query, header) plus `body`.
       */
      readonly input?: string;
      /** Replaces the flow's retry policy for this step. */
      readonly retry?: { readonly attempts: number; readonly backoffMs: number };
      /** Saga: the call that undoes this step; run, newest first, when the run dies after it. */
      readonly compensate?: { readonly system: string; readonly operation: string; readonly input?: string };
      readonly source: SourceLocation;
    }
  | ExtraStepDefinition;

export interface FlowDefinition {
  readonly name: string;
  readonly description?: string;
  readonly triggers: readonly TriggerDefinition[];
  readonly steps: readonly StepDefinition[];
  /** JSONata expression over `{ trigger, steps }` giving the run's output (the sync response). */
  readonly output?: string;
  readonly retry: { readonly attempts: number; readonly backoffMs: number };
  readonly control?: FlowControl;
  /** Hash of the flow's definition; a changed file makes a new version. */
  readonly version: string;
  readonly source: SourceLocation;
}

export interface MappingDefinition {
  readonly name: string;
  readonly expression: string;
  readonly source: SourceLocation;
}

export interface Project {
  /** Absolute path of the project folder. */
  readonly root: string;
  readonly settings: ProjectSettings;
  readonly systems: ReadonlyMap<string, SystemDefinition>;
  readonly apis: ReadonlyMap<string, ApiDefinition>;
  readonly flows: ReadonlyMap<string, FlowDefinition>;
  readonly mappings: ReadonlyMap<string, MappingDefinition>;
}

/** One problem found while loading a project, located precisely. */
export interface ProjectProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Stable code, e.g. `schema`, `yaml`, `reference`, `duplicate`. */
  readonly rule: string;
  readonly message: string;
  /** What was found at that place, rendered short. */
  readonly found?: string;
  /** What the schema or reference rule expected. */
  readonly expected?: string;
}

/** A JSON Schema (draft 2020-12 or OpenAPI's dialect of it), as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown } | boolean;

/**
 * Bearer JWT access tokens: `oauth2` trusts Conflux's own authorization server (issuer and keys
 * known at start), `jwt` an external issuer with a JWKS URL (docs/identity.md).
 */
export interface TokenAuth {
  readonly type: 'oauth2' | 'jwt';
  /** Required for `jwt`; `oauth2` uses the local server's issuer. */
  readonly issuer?: string;
  readonly jwksUri?: string;
  /** The `aud` tokens must carry; default `urn:conflux:api:<api name>`. */
  readonly audience: string;
  readonly algorithms: readonly string[];
  readonly scopes: readonly string[];
  readonly routeScopes: Readonly<Record<string, readonly string[]>>;
  readonly forwardIdentity: 'strip' | 'signed';
}
