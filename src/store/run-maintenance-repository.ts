/**
 * Operations on run history rather than on the queue's hot path: replaying dead runs,
 * retention pruning, selecting runs for bulk replay, and queue statistics for metrics.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db-schema.ts';
import type { RunMaintenanceRepository } from './history-types.ts';
import { encodeJson } from './json-column.ts';
import { applyRunFilter } from './run-filter.ts';
import { toRunRecord } from './run-rows.ts';

const REPLAYABLE = ['dead', 'failed'];

export function createRunMaintenanceRepository(db: Kysely<Database>): RunMaintenanceRepository {
  return {
    replay(id, request, now) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('runs')
          .set((eb) => ({
            status: 'queued',
            error: null,
            output: null,
            finished_at: null,
            available_at: now,
            updated_at: now,
            lease_owner: null,
            lease_expires_at: null,
            replays: eb('replays', '+', 1),
            ...(request.input === undefined ? {} : { input: encodeJson(request.input) }),
          }))
          .where('id', '=', id)
          .where('status', 'in', REPLAYABLE)
          .returningAll()
          .executeTakeFirst();
        if (row === undefined) return undefined;
        let steps = trx.deleteFrom('steps').where('run_id', '=', id);
        // From the failed step: completed steps stay and are skipped; the failed step goes, so
        // it runs again. Otherwise every record goes and the run starts over.
        if (request.fromFailedStep) steps = steps.where('status', '!=', 'succeeded');
        await steps.execute();
        return toRunRecord(row);
      });
    },

    async prune(status, before, limit) {
      const ids = (
        await db
          .selectFrom('runs')
          .select('id')
          .where('status', '=', status)
          .where('finished_at', '<', before)
          .orderBy('finished_at')
          .limit(limit)
          .execute()
      ).map((row) => row.id);
      if (ids.length === 0) return 0;
      await db.deleteFrom('payloads').where('run_id', 'in', ids).execute();
      await db.deleteFrom('steps').where('run_id', 'in', ids).execute();
      const result = await db.deleteFrom('runs').where('id', 'in', ids).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async listIds(filter, limit) {
      const rows = await applyRunFilter(db.selectFrom('runs').select('id'), filter)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((row) => row.id);
    },

    async queueStats(now) {
      const counts = await db
        .selectFrom('runs')
        .select((eb) => ['status', eb.fn.countAll<number | string>().as('count')])
        .where('status', 'in', ['queued', 'running'])
        .groupBy('status')
        .execute();
      const oldest = await db
        .selectFrom('runs')
        .select((eb) => eb.fn.min<number | string | null>('available_at').as('at'))
        .where('status', '=', 'queued')
        .where('available_at', '<=', now)
        .executeTakeFirst();
      const count = (status: string) => Number(counts.find((row) => row.status === status)?.count ?? 0);
      const at = oldest?.at === null || oldest?.at === undefined ? undefined : Number(oldest.at);
      return {
        queued: count('queued'),
        running: count('running'),
        oldestAgeMs: at === undefined ? 0 : Math.max(0, now - at),
      };
    },
  };
}
