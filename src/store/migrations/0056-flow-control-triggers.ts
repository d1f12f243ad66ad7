import type { Migration } from './migration.ts';
import { columnTypes } from './migration.ts';

/**
 * Debounce and batching: every trigger they collect, with the run that will carry it (deleted
 * with that run), and per key the run still collecting.
 */
export const flowControlTriggers: Migration = {
  version: 56,
  name: 'flow-control-triggers',
  async up(db, dialect) {
    const { json } = columnTypes(dialect);
    await db.schema
      .createTable('flow_control_triggers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('control_key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('input', json)
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('superseded_by', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('settled_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('flow_control_triggers_run')
      .on('flow_control_triggers')
      .columns(['run_id', 'seq'])
      .execute();
    await db.schema
      .createTable('flow_control_keys')
      .addColumn('control_key', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .execute();
  },
};
