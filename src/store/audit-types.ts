/**
 * The audit trail: one row per event that someone must be able to account for later (every
 * call of a partner API; admin actions may use the same table). Append-only.
 */
export interface AuditRecord {
  readonly id: string;
  /** Epoch ms. */
  readonly at: number;
  /** Who acted: a consumer name, an admin. */
  readonly actor: string;
  /** What happened, e.g. `gateway.partner-call`. */
  readonly action: string;
  /** What it happened to, e.g. `api:orders GET /orders/{id}`. */
  readonly subject: string;
  readonly status: number | null;
  readonly correlationId: string | null;
  readonly details: Record<string, unknown>;
  /** What kind of actor: `admin`, `consumer`, `system` (null on rows that predate it). */
  readonly actorType?: string | null;
  /** A change's state before and after, secrets already redacted (admin changes). */
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly correlationId?: string;
  readonly actorType?: string;
  readonly subject?: string;
  /** Epoch ms, inclusive lower and exclusive upper bound on `at`. */
  readonly from?: number;
  readonly to?: number;
  /** Paging: only events older than this one (`at` and `id` of the last event of a page). */
  readonly after?: { readonly at: number; readonly id: string };
  /** At most this many, newest first (default 100). */
  readonly limit?: number;
}

export interface AuditRepository {
  append(records: readonly AuditRecord[]): Promise<void>;
  list(filter: AuditFilter): Promise<AuditRecord[]>;
}

export interface AuditEventsTable {
  id: string;
  at: number;
  actor: string;
  action: string;
  subject: string;
  status: number | null;
  correlation_id: string | null;
  details: string;
  actor_type: string | null;
  before: string | null;
  after: string | null;
}
