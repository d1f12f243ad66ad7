import type { Migration } from './migration.ts';

/** Paused flows: their runs are queued as usual but not claimed until the flow is resumed. */
export const flowPauses: Migration = {
  version: 18,
  name: 'flow-pauses',
  async up(db) {
    await db.schema
      .createTable('flow_pauses')
      .addColumn('flow', 'text', (c) => c.primaryKey())
      .addColumn('paused_at', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text')
      .execute();
  },
};
