import { randomUUID } from 'node:crypto';
import type { AuditRecord, AuditRepository } from '../store/index.ts';

/** Who made an admin change, as the admin API's role hook established it. */
export interface AdminActor {
  readonly name: string;
  readonly role: string;
}

export interface AdminChange {
  readonly actor: AdminActor;
  /** `admin` (the admin API, default) or `cli` (an offline CLI command on the project's store). */
  readonly actorType?: 'admin' | 'cli';
  /** e.g. `consumer.create`, `key.rotate`. */
  readonly action: string;
  /** e.g. `consumer:acme`. */
  readonly subject: string;
  readonly correlationId: string;
  readonly status?: number;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly details?: Record<string, unknown>;
}

export interface AuditLog {
  /** Appends one admin change; waits for the write, so a change is never unaccounted for. */
  recordChange(change: AdminChange): Promise<void>;
}

/** Field names whose values never reach the audit trail, whatever object they sit in. */
const SECRET_FIELDS =
  /^(key|token|secret|clientSecret|client_secret|password|passwordHash|hash|tokenHash|value|d|p|q|dp|dq|qi|k)$/i;

/** A deep copy with secret-looking fields replaced by `[REDACTED]`. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value))
    out[name] = SECRET_FIELDS.test(name) ? '[REDACTED]' : redactSecrets(field);
  return out;
}

export function createAuditLog(repository: AuditRepository, now: () => number = Date.now): AuditLog {
  return {
    async recordChange(change) {
      const record: AuditRecord = {
        id: `${now().toString(36).padStart(9, '0')}-${randomUUID()}`,
        at: now(),
        actor: change.actor.name,
        actorType: change.actorType ?? 'admin',
        action: change.action,
        subject: change.subject,
        status: change.status ?? null,
        correlationId: change.correlationId,
        details: {
          role: change.actor.role,
          ...(redactSecrets(change.details ?? {}) as Record<string, unknown>),
        },
        ...(change.before === undefined ? {} : { before: redactSecrets(change.before) }),
        ...(change.after === undefined ? {} : { after: redactSecrets(change.after) }),
      };
      await repository.append([record]);
    },
  };
}
