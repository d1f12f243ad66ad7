import type { Migration } from './migration.ts';
import { columnTypes } from './migration.ts';

/**
 * What triggers, waiting steps and flow control keep between claims and across processes:
 * parked waits and their deliveries, dedup ids (webhook replay, poll hashes), trigger cursors,
 * admission slots and rate windows, the event outbox; and a run priority the claim orders by.
 */
export const engineState: Migration = {
  version: 10,
  name: 'engine-state',
  async up(db, dialect) {
    const { json } = columnTypes(dialect);

    await db.schema
      .alterTable('runs')
      .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('engine_waits')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('step_id', 'text', (c) => c.notNull())
      .addColumn('topic', 'text')
      .addColumn('deadline', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint')
      .addColumn('payload', json)
      .addPrimaryKeyConstraint('engine_waits_pk', ['run_id', 'step_id'])
      .execute();
    await db.schema
      .createIndex('engine_waits_topic')
      .on('engine_waits')
      .columns(['topic', 'delivered_at'])
      .execute();

    await db.schema
      .createTable('engine_dedup')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('engine_dedup_pk', ['scope', 'id'])
      .execute();
    await db.schema.createIndex('engine_dedup_expires').on('engine_dedup').column('expires_at').execute();

    await db.schema
      .createTable('engine_kv')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', json)
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('engine_slots')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addPrimaryKeyConstraint('engine_slots_pk', ['key', 'holder'])
      .execute();

    await db.schema
      .createTable('engine_rates')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('engine_rates_pk', ['key', 'window_start'])
      .execute();

    await db.schema
      .createTable('engine_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key', 'text')
      .addColumn('data', json)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('dispatched_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('engine_events_pending')
      .on('engine_events')
      .columns(['dispatched_at', 'created_at'])
      .execute();
  },
};
