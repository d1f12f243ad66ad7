import type { Migration } from './migration.ts';

/**
 * Claim check: step payloads above a size threshold are stored once here and the step record
 * holds a reference. `run_id` ties a payload to the run it belongs to, for retention.
 */
export const payloads: Migration = {
  version: 17,
  name: 'payloads',
  async up(db) {
    await db.schema
      .createTable('payloads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payloads_run').on('payloads').column('run_id').execute();
  },
};
