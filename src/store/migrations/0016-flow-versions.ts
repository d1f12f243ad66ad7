import type { Migration } from './migration.ts';
import { columnTypes } from './migration.ts';

/** Every version of every flow ever run, so a run finishes on the definition it started with. */
export const flowVersions: Migration = {
  version: 16,
  name: 'flow-versions',
  async up(db, dialect) {
    const { json } = columnTypes(dialect);
    await db.schema
      .createTable('flow_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('flow', 'text', (c) => c.notNull())
      .addColumn('definition', json, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('flow_versions_flow')
      .on('flow_versions')
      .columns(['flow', 'created_at'])
      .execute();
  },
};
