import type { Migration } from './migration.ts';

/** Named admin identities (people or automation), each with one role and a hashed token. */
export const adminPrincipals: Migration = {
  version: 5,
  name: 'admin-principals',
  async up(db) {
    await db.schema
      .createTable('admin_principals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .addColumn('last_used_at', 'bigint')
      .execute();
  },
};
