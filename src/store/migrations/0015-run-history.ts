import type { Migration } from './migration.ts';

/**
 * Run history: a replay counter (replays re-execute steps under a fresh idempotency scope),
 * and indexes for the history filters (correlation id) and for retention (status + finish time).
 */
export const runHistory: Migration = {
  version: 15,
  name: 'run-history',
  async up(db) {
    await db.schema
      .alterTable('runs')
      .addColumn('replays', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('runs_correlation').on('runs').column('correlation_id').execute();
    await db.schema.createIndex('runs_retention').on('runs').columns(['status', 'finished_at']).execute();
  },
};
