import type { Migration } from './migration.ts';

/** The audit trail (partner API calls, and any other accountable action); append-only. */
export const auditEvents: Migration = {
  version: 40,
  name: 'audit-events',
  async up(db) {
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
    await db.schema
      .createIndex('audit_events_actor_at')
      .ifNotExists()
      .on('audit_events')
      .columns(['actor', 'at'])
      .execute();
  },
};
