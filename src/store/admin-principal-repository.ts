import type { Kysely, Selectable } from 'kysely';
import type { Database } from './db-schema.ts';
import type {
  AdminPrincipalRecord,
  AdminPrincipalRepository,
  AdminPrincipalsTable,
  AdminRole,
} from './identity-types.ts';

function toRecord(row: Selectable<AdminPrincipalsTable>): AdminPrincipalRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role as AdminRole,
    tokenHash: row.token_hash,
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

export function createAdminPrincipalRepository(db: Kysely<Database>): AdminPrincipalRepository {
  return {
    async create(record) {
      const row = await db
        .insertInto('admin_principals')
        .values({
          id: record.id,
          name: record.name,
          role: record.role,
          token_hash: record.tokenHash,
          created_at: Date.now(),
          revoked_at: null,
          last_used_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async findByHash(hash) {
      const row = await db
        .selectFrom('admin_principals')
        .selectAll()
        .where('token_hash', '=', hash)
        .executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    async list() {
      return (
        await db.selectFrom('admin_principals').selectAll().orderBy('created_at').orderBy('id').execute()
      ).map(toRecord);
    },

    async revoke(id, at) {
      const result = await db
        .updateTable('admin_principals')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async touchLastUsed(id, at) {
      await db.updateTable('admin_principals').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}
