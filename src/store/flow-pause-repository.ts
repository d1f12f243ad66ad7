import type { Kysely } from 'kysely';
import type { Database } from './db-schema.ts';
import type { FlowPauseRepository } from './history-types.ts';

/** Paused flows; `claim` skips their runs (see run-repository.ts). */
export function createFlowPauseRepository(db: Kysely<Database>): FlowPauseRepository {
  return {
    async pause(flow, reason, now) {
      const result = await db
        .insertInto('flow_pauses')
        .values({ flow, paused_at: now, reason })
        .onConflict((oc) => oc.column('flow').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async resume(flow) {
      const result = await db.deleteFrom('flow_pauses').where('flow', '=', flow).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async list() {
      const rows = await db.selectFrom('flow_pauses').selectAll().orderBy('flow').execute();
      return rows.map((row) => ({ flow: row.flow, pausedAt: Number(row.paused_at), reason: row.reason }));
    },
  };
}
