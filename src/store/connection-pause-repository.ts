import type { Kysely } from 'kysely';
import type { ConnectionPauseRepository } from './connection-pause-types.ts';
import type { Database } from './db-schema.ts';

export function createConnectionPauseRepository(db: Kysely<Database>): ConnectionPauseRepository {
  return {
    async hold(system, flow, now) {
      await db
        .insertInto('connection_pauses')
        .values({ system, flow, paused_at: now })
        .onConflict((oc) => oc.columns(['system', 'flow']).doNothing())
        .execute();
    },
    async release(system) {
      return await db.transaction().execute(async (trx) => {
        const flows = (
          await trx.selectFrom('connection_pauses').select('flow').where('system', '=', system).execute()
        ).map((row) => row.flow);
        if (flows.length === 0) return [];
        await trx.deleteFrom('connection_pauses').where('system', '=', system).execute();
        const stillHeld = new Set(
          (await trx.selectFrom('connection_pauses').select('flow').where('flow', 'in', flows).execute()).map(
            (row) => row.flow,
          ),
        );
        return flows.filter((flow) => !stillHeld.has(flow));
      });
    },
    async held(flow) {
      const row = await db
        .selectFrom('connection_pauses')
        .select('system')
        .where('flow', '=', flow)
        .executeTakeFirst();
      return row !== undefined;
    },
    async list() {
      const rows = await db
        .selectFrom('connection_pauses')
        .selectAll()
        .orderBy('system')
        .orderBy('flow')
        .execute();
      return rows.map((row) => ({ system: row.system, flow: row.flow, pausedAt: Number(row.paused_at) }));
    },
  };
}
