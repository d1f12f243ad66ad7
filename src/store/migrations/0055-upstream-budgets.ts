import type { Migration } from './migration.ts';

/**
 * Upstream budgets shared by processes through the store: a system's rate (GCRA time), its
 * pause after a 429 or Retry-After, and its leased concurrency slots.
 */
export const upstreamBudgets: Migration = {
  version: 55,
  name: 'upstream-budgets',
  async up(db, dialect) {
    await db.schema
      .createTable('upstream_budgets')
      .addColumn('key', 'text', (c) => c.primaryKey())
      // Fractions of a millisecond matter: an interval of 1000/3 ms rounded would exceed the rate.
      .addColumn('tat', dialect === 'postgres' ? 'double precision' : 'real')
      .addColumn('paused_until', 'bigint', (c) => c.notNull())
      .addColumn('ramp_ms', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('upstream_budget_slots')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('upstream_budget_slots_pk', ['key', 'holder'])
      .execute();
  },
};
