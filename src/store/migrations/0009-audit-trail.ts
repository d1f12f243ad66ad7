import { sql } from 'kysely';
import type { Migration } from './migration.ts';

/**
 * The audit trail for admin changes as well as partner-API calls: who acted as what kind of
 * actor, and the before/after of a change (secrets redacted before they get here). The table
 * may already exist from migration 40 (gateway audit) on databases that ran it first, so the
 * new columns are added to whichever table is there.
 */
export const auditTrail: Migration = {
  version: 9,
  name: 'audit-trail',
  async up(db, dialect) {
    await db.schema
      .createTable('audit_events')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('correlation_id', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .execute();
    for (const column of ['actor_type', 'before', 'after'] as const) {
      if (dialect === 'postgres') {
        await sql`alter table audit_events add column if not exists ${sql.id(column)} text`.execute(db);
        continue;
      }
      const info = await sql<{ name: string }>`pragma table_info(audit_events)`.execute(db);
      if (!info.rows.some((row) => row.name === column)) {
        await db.schema.alterTable('audit_events').addColumn(column, 'text').execute();
      }
    }
    await sql`create index if not exists audit_events_at on audit_events (at)`.execute(db);
  },
};
