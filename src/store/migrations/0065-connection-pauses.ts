import type { Migration } from './migration.ts';

/** Flows paused by a system's invalid credentials, resumed when the credentials work again. */
export const connectionPauses: Migration = {
  version: 65,
  name: 'connection-pauses',
  async up(db) {
    await db.schema
      .createTable('connection_pauses')
      .addColumn('system', 'text', (c) => c.notNull())
      .addColumn('flow', 'text', (c) => c.notNull())
      .addColumn('paused_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('connection_pauses_pk', ['system', 'flow'])
      .execute();
    await db.schema.createIndex('connection_pauses_flow').on('connection_pauses').column('flow').execute();
  },
};
