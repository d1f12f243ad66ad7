/**
 * What the admin API reads from the running gateway (wired by the composition root): the
 * effective API configuration, live per-route numbers, request traces and OpenAPI documents.
 * Plain data, so the admin module needs nothing from the gateway's internals.
 */
export interface GatewayAdmin {
  /** The effective configuration of every API, routes and policies included. */
  apis(): readonly Record<string, unknown>[];
  /** Per-route numbers of one API over the rolling window; undefined for an unknown API. */
  stats(api: string): { readonly windowSeconds: number; readonly routes: readonly unknown[] } | undefined;
  /** The policy trace of a recent request; undefined when unknown or evicted. */
  trace(correlationId: string): unknown;
  /** The API's OpenAPI document for a version (its default when omitted); undefined for unknown. */
  openapi(api: string, version: string | undefined): unknown;
}
