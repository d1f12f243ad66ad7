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
}

export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly correlationId?: string;
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
}
