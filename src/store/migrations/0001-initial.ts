import type { Migration } from './migration.ts';
import { columnTypes } from './migration.ts';

export const initial: Migration = {
  version: 1,
  name: 'initial',
  async up(db, dialect) {
    const { json, bytes } = columnTypes(dialect);

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('consumer', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('scopes', json, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addColumn('last_used_at', 'bigint')
      .execute();
    await db.schema.createIndex('api_keys_consumer').on('api_keys').column('consumer').execute();

    await db.schema
      .createTable('secrets')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('ciphertext', bytes, (c) => c.notNull())
      .addColumn('iv', bytes, (c) => c.notNull())
      .addColumn('tag', bytes, (c) => c.notNull())
      .addColumn('wrapped_key', bytes, (c) => c.notNull())
      .addColumn('kek_id', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('flow', 'text', (c) => c.notNull())
      .addColumn('flow_version', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('trigger_type', 'text', (c) => c.notNull())
      .addColumn('input', json)
      .addColumn('output', json)
      .addColumn('error', json)
      .addColumn('correlation_id', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addColumn('available_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'bigint')
      .execute();
    // claim looks for queued runs that are due, and for running runs whose lease ran out.
    await db.schema.createIndex('runs_claim_queued').on('runs').columns(['status', 'available_at']).execute();
    await db.schema
      .createIndex('runs_claim_expired')
      .on('runs')
      .columns(['status', 'lease_expires_at'])
      .execute();
    // list pages newest first, optionally within one flow.
    await db.schema.createIndex('runs_created').on('runs').columns(['created_at', 'id']).execute();
    await db.schema
      .createIndex('runs_flow_created')
      .on('runs')
      .columns(['flow', 'created_at', 'id'])
      .execute();

    await db.schema
      .createTable('steps')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('step_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('input', json)
      .addColumn('output', json)
      .addColumn('error', json)
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('steps_pk', ['run_id', 'step_id'])
      .execute();

    await db.schema
      .createTable('schedule_fires')
      .addColumn('schedule_key', 'text', (c) => c.notNull())
      .addColumn('fire_at', 'bigint', (c) => c.notNull())
      .addColumn('claimed_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('schedule_fires_pk', ['schedule_key', 'fire_at'])
      .execute();
  },
};
