import type { Migration } from './migration.ts';
import { columnTypes } from './migration.ts';

/** Consumers (who calls) and plans (consumption tiers); identity owns both (src/identity). */
export const consumersAndPlans: Migration = {
  version: 2,
  name: 'consumers-plans',
  async up(db, dialect) {
    const { json } = columnTypes(dialect);
    await db.schema
      .createTable('plans')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('rate_limit', json)
      .addColumn('quota', json)
      // null: every API; otherwise the names the plan allows.
      .addColumn('apis', json)
      .addColumn('scopes', json, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('consumers')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('contact', json, (c) => c.notNull())
      .addColumn('apis', json)
      .addColumn('plan', 'text')
      .addColumn('scopes', json, (c) => c.notNull())
      .addColumn('disabled_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
