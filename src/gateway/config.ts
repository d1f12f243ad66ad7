import type { IncomingHttpHeaders } from 'node:http';
import type { ApiDefinition } from '../project/index.ts';
import type { RequestContext } from './context.ts';
import type { HostTable } from './host-table.ts';

/** A policy decides about a request before its target runs; it rejects by throwing. */
export interface Policy {
  readonly name: string;
  apply(ctx: RequestContext): Promise<void> | void;
}

/** A target answers a request that every policy allowed. */
export type TargetHandler = (ctx: RequestContext) => Promise<void>;

export interface CompiledRoute {
  readonly kind: 'route';
  readonly api: string;
  /** Full path template including the API's base path: the metrics and log label. */
  readonly template: string;
  readonly method: string;
  /** The API version this route belongs to ('' for an unversioned API). */
  readonly version: string;
  /** Headers every answer of this route carries (API-Version, Deprecation, Sunset, Link). */
  readonly headers: readonly (readonly [string, string])[];
  /** Partner APIs: every call leaves an audit record. */
  readonly audited: boolean;
  /** What kind of target answers (proxy, composite, flow, mock, openapi), for traces. */
  readonly target: string;
  readonly policies: readonly Policy[];
  readonly handler: TargetHandler;
}

/**
 * Routes of the header and media-type versioning schemes: one path, one route per version,
 * picked per request by `select` (which reads the version the request names).
 */
export interface VersionedRoutes {
  readonly kind: 'versioned';
  readonly api: string;
  readonly select: (headers: IncomingHttpHeaders) => string | undefined;
  /** Every version at this path, under each of its spellings (`v2` and `2`). */
  readonly byVersion: Map<string, CompiledRoute>;
  /** The API's default version, for requests that name none. */
  readonly defaultVersion: string;
}

export type RouteEntry = CompiledRoute | VersionedRoutes;

export interface WebhookEndpoint {
  readonly flow: string;
  readonly handler: TargetHandler;
}

/**
 * One immutable generation of the gateway's configuration. A reload builds a new one and
 * swaps a single reference; a request keeps the generation it started with to its end.
 */
export interface GatewayConfig {
  readonly routes: HostTable<RouteEntry>;
  /** The APIs this generation serves, as configured (the admin API shows them). */
  readonly apis: ReadonlyMap<string, ApiDefinition>;
  readonly webhooks: ReadonlyMap<string, WebhookEndpoint>;
}
