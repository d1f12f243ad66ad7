import type { Kysely } from 'kysely';
import type { Database } from './db-schema.ts';
import type { QuotaRepository } from './quota-types.ts';

export function createQuotaRepository(db: Kysely<Database>): QuotaRepository {
  return {
    // One upsert per counter; the database adds, so concurrent gateway processes never lose
    // each other's increments.
    async add(increments, now) {
      if (increments.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const increment of increments) {
          await trx
            .insertInto('quota_counters')
            .values({
              counter_key: increment.key,
              period_start: increment.periodStart,
              used: increment.count,
              updated_at: now,
            })
            .onConflict((oc) =>
              oc.columns(['counter_key', 'period_start']).doUpdateSet((eb) => ({
                used: eb('quota_counters.used', '+', increment.count),
                updated_at: now,
              })),
            )
            .execute();
        }
      });
    },

    async used(key, periodStart) {
      const row = await db
        .selectFrom('quota_counters')
        .select('used')
        .where('counter_key', '=', key)
        .where('period_start', '=', periodStart)
        .executeTakeFirst();
      return row === undefined ? 0 : Number(row.used);
    },
  };
}
