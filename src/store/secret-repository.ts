import type { Kysely, Selectable } from 'kysely';
import type { Database, SecretsTable } from './db-schema.ts';
import type { SecretEnvelope, SecretRepository } from './types.ts';

function toEnvelope(row: Selectable<SecretsTable>): SecretEnvelope {
  return {
    name: row.name,
    ciphertext: row.ciphertext,
    iv: row.iv,
    tag: row.tag,
    wrappedKey: row.wrapped_key,
    kekId: row.kek_id,
    updatedAt: row.updated_at,
  };
}

/** Stores envelopes only; encryption and decryption live in src/secrets. */
export function createSecretRepository(db: Kysely<Database>): SecretRepository {
  return {
    async put(envelope) {
      const columns = {
        ciphertext: envelope.ciphertext,
        iv: envelope.iv,
        tag: envelope.tag,
        wrapped_key: envelope.wrappedKey,
        kek_id: envelope.kekId,
        updated_at: envelope.updatedAt,
      };
      await db
        .insertInto('secrets')
        .values({ name: envelope.name, ...columns })
        .onConflict((oc) => oc.column('name').doUpdateSet(columns))
        .execute();
    },

    async get(name) {
      const row = await db.selectFrom('secrets').selectAll().where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : toEnvelope(row);
    },

    async listNames() {
      const rows = await db.selectFrom('secrets').select('name').orderBy('name').execute();
      return rows.map((row) => row.name);
    },

    async delete(name) {
      const result = await db.deleteFrom('secrets').where('name', '=', name).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
