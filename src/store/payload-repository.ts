import type { Kysely } from 'kysely';
import type { Database } from './db-schema.ts';
import type { PayloadRepository } from './history-types.ts';

/** Claim-check payloads: large step values stored once as JSON text, referenced by id. */
export function createPayloadRepository(db: Kysely<Database>): PayloadRepository {
  return {
    async put(payload, now) {
      await db
        .insertInto('payloads')
        .values({
          id: payload.id,
          run_id: payload.runId,
          size: Buffer.byteLength(payload.data),
          data: payload.data,
          created_at: now,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom('payloads').select('data').where('id', '=', id).executeTakeFirst();
      return row?.data;
    },
  };
}
