import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, Database } from './db-schema.ts';
import { decodeJson, encodeJson } from './json-column.ts';
import type { ApiKeyRecord, ApiKeyRepository } from './types.ts';

function toRecord(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    consumer: row.consumer,
    name: row.name,
    prefix: row.prefix,
    hash: row.hash,
    scopes: decodeJson(row.scopes) as string[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    replacedBy: row.replaced_by,
    replaces: row.replaces,
  };
}

export function createApiKeyRepository(db: Kysely<Database>): ApiKeyRepository {
  return {
    async create(key) {
      const row = await db
        .insertInto('api_keys')
        .values({
          id: key.id,
          consumer: key.consumer,
          name: key.name,
          prefix: key.prefix,
          hash: key.hash,
          scopes: encodeJson([...key.scopes]) ?? '[]',
          created_at: Date.now(),
          expires_at: key.expiresAt,
          revoked_at: null,
          last_used_at: null,
          replaced_by: null,
          replaces: key.replaces ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async findByHash(hash) {
      const row = await db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    async get(id) {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    async markReplaced(id, successor, expiresAt) {
      const result = await db
        .updateTable('api_keys')
        .set({ replaced_by: successor, expires_at: expiresAt })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('replaced_by', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async revokeByConsumer(consumer, at) {
      const result = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('consumer', '=', consumer)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async list() {
      const rows = await db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toRecord);
    },

    async revoke(id, at) {
      const result = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async touchLastUsed(id, at) {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}
