import type { Migration } from './migration.ts';

/** API key rotation: a rotated key points at its successor (and the successor back). */
export const keyRotation: Migration = {
  version: 3,
  name: 'key-rotation',
  async up(db) {
    await db.schema.alterTable('api_keys').addColumn('replaced_by', 'text').execute();
    await db.schema.alterTable('api_keys').addColumn('replaces', 'text').execute();
  },
};
