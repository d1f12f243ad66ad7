import type { Kysely } from 'kysely';
import type { AuditRepository } from './audit-types.ts';
import type { Database } from './db-schema.ts';

export function createAuditRepository(db: Kysely<Database>): AuditRepository {
  return {
    async append(records) {
      if (records.length === 0) return;
      await db
        .insertInto('audit_events')
        .values(
          records.map((record) => ({
            id: record.id,
            at: record.at,
            actor: record.actor,
            action: record.action,
            subject: record.subject,
            status: record.status,
            correlation_id: record.correlationId,
            details: JSON.stringify(record.details),
            actor_type: record.actorType ?? null,
            before: record.before === undefined ? null : JSON.stringify(record.before),
            after: record.after === undefined ? null : JSON.stringify(record.after),
          })),
        )
        .execute();
    },

    async list(filter) {
      let query = db.selectFrom('audit_events').selectAll();
      if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
      if (filter.action !== undefined) query = query.where('action', '=', filter.action);
      if (filter.correlationId !== undefined)
        query = query.where('correlation_id', '=', filter.correlationId);
      if (filter.actorType !== undefined) query = query.where('actor_type', '=', filter.actorType);
      if (filter.subject !== undefined) query = query.where('subject', '=', filter.subject);
      if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
      if (filter.to !== undefined) query = query.where('at', '<', filter.to);
      const after = filter.after;
      if (after !== undefined) {
        query = query.where((eb) =>
          eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '<', after.id)])]),
        );
      }
      const rows = await query
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(filter.limit ?? 100)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        at: Number(row.at),
        actor: row.actor,
        action: row.action,
        subject: row.subject,
        status: row.status === null ? null : Number(row.status),
        correlationId: row.correlation_id,
        details: JSON.parse(row.details) as Record<string, unknown>,
        actorType: row.actor_type,
        before: row.before === null ? undefined : JSON.parse(row.before),
        after: row.after === null ? undefined : JSON.parse(row.after),
      }));
    },
  };
}
