import type { Migration } from './migration.ts';

/** Gateway quotas: one row per (counter key, period start), incremented in batches. */
export const quotaCounters: Migration = {
  version: 20,
  name: 'quota-counters',
  async up(db) {
    await db.schema
      .createTable('quota_counters')
      .addColumn('counter_key', 'text', (c) => c.notNull())
      .addColumn('period_start', 'bigint', (c) => c.notNull())
      .addColumn('used', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('quota_counters_pk', ['counter_key', 'period_start'])
      .execute();
  },
};
