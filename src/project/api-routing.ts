/**
 * The routing parts of an API file that the gateway's data plane reads: host matching,
 * versions, network and partner restrictions, and the route targets beyond a plain proxy
 * (composite, mock) with their resilience settings. Kept in its own file, beside
 * policy-settings.ts, so the shared model stays small. docs/gateway.md documents every field.
 */

import type { SourceLocation } from './model.ts';

export type VersioningScheme = 'uri' | 'header' | 'media-type';

export interface ApiVersionDefinition {
  /** The version's name as callers send it, e.g. `v1`. */
  readonly name: string;
  /** When the version was (or will be) deprecated: an ISO 8601 date or date-time (RFC 9745). */
  readonly deprecated?: string;
  /** When the version stops answering: an ISO 8601 date or date-time (RFC 8594). */
  readonly sunset?: string;
  /** A page explaining the deprecation, sent as `Link: <…>; rel="deprecation"` (and `rel="sunset"`). */
  readonly link?: string;
}

export interface ApiVersioning {
  /**
   * `uri`: the version is the first path segment after basePath (`/v1/orders`);
   * `header`: a request header names it (`API-Version: v2`);
   * `media-type`: a `version` parameter of the Accept media type (`application/vnd.x+json; version=2`).
   */
  readonly scheme: VersioningScheme;
  /** Header read by the `header` scheme (lower-case). */
  readonly header: string;
  /** The version a request that names none gets. */
  readonly default: string;
  readonly versions: readonly ApiVersionDefinition[];
}

export interface RetrySettings {
  /** Attempts in total, the first included (1 = no retry). */
  readonly attempts: number;
  /** First backoff; doubles per attempt, with full jitter. */
  readonly backoffMs: number;
  /** Upper bound of one backoff, and of a Retry-After the gateway is willing to wait. */
  readonly maxBackoffMs: number;
}

export interface CircuitBreakerSettings {
  /** Failure ratio (0–1) over the window that opens the circuit. */
  readonly errorRate: number;
  /** Calls the window must hold before the ratio counts. */
  readonly minCalls: number;
  readonly windowMs: number;
  /** How long the circuit stays open before one probe is let through. */
  readonly openMs: number;
}

export interface ResilienceSettings {
  /** Upstream timeout; defaults to the system's `timeoutMs` (30 s for URL targets). */
  readonly timeoutMs?: number;
  readonly retry?: RetrySettings;
  readonly circuitBreaker?: CircuitBreakerSettings;
}

export interface CompositeCall {
  readonly id: string;
  readonly system: string;
  readonly operation: string;
  /** JSONata over `{ params, query, body, calls }` giving the operation's input. */
  readonly input?: string;
  /** Ids of calls whose results this call needs; it starts when they have succeeded. */
  readonly needs: readonly string[];
  readonly timeoutMs: number;
}

export interface CompositeTarget {
  readonly kind: 'composite';
  readonly calls: readonly CompositeCall[];
  /** JSONata over `{ params, query, body, calls }` giving the response body. */
  readonly merge?: string;
  /** `fail`: any failed call makes a 502 naming it; `partial`: 200 with `partial: true` and the errors. */
  readonly onFailure: 'fail' | 'partial';
}

export interface MockTarget {
  readonly kind: 'mock';
  readonly system: string;
  readonly operation: string;
}

/** Public APIs: callers register themselves and get a key under `plan` (docs/gateway.md). */
export interface ApiRegistration {
  readonly plan: string;
  /** Path under the API's basePath that takes `POST { application, email }`. */
  readonly path: string;
  /** Registrations allowed per client address and hour. */
  readonly perHour: number;
  readonly source: SourceLocation;
}

/** The same parts as written in the file (every field optional; the builder fills defaults). */
export interface ResilienceFile {
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetrySettings>;
  readonly circuitBreaker?: Partial<CircuitBreakerSettings>;
}

export interface ApiRoutingFile {
  readonly hosts?: readonly string[];
  readonly versioning?: {
    readonly scheme?: VersioningScheme;
    readonly header?: string;
    readonly default?: string;
  };
  readonly versions?: Readonly<
    Record<string, { readonly deprecated?: string; readonly sunset?: string; readonly link?: string }>
  >;
  readonly networks?: readonly string[];
  readonly partners?: readonly string[];
  readonly resilience?: ResilienceFile;
  readonly registration?: { readonly plan: string; readonly path?: string; readonly perHour?: number };
}

export interface RouteRoutingFile {
  readonly versions?: readonly string[];
  readonly rewrite?: string;
  readonly resilience?: ResilienceFile;
  readonly composite?: {
    readonly calls: readonly {
      readonly id: string;
      readonly system: string;
      readonly operation: string;
      readonly input?: string;
      readonly needs?: readonly string[];
      readonly timeoutMs?: number;
    }[];
    readonly merge?: string;
    readonly onFailure?: 'fail' | 'partial';
  };
  readonly mock?: { readonly system: string; readonly operation: string };
}
