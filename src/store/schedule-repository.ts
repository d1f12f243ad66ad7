import type { Kysely } from 'kysely';
import type { Database } from './db-schema.ts';
import type { ScheduleRepository } from './types.ts';

export function createScheduleRepository(db: Kysely<Database>): ScheduleRepository {
  return {
    // The primary key (schedule_key, fire_at) is the arbiter: exactly one insert wins, whatever
    // the number of processes; the others' ON CONFLICT DO NOTHING returns no row.
    async claimFire(scheduleKey, fireAt) {
      const row = await db
        .insertInto('schedule_fires')
        .values({ schedule_key: scheduleKey, fire_at: fireAt, claimed_at: Date.now() })
        .onConflict((oc) => oc.columns(['schedule_key', 'fire_at']).doNothing())
        .returning('fire_at')
        .executeTakeFirst();
      return row !== undefined;
    },

    async lastFire(scheduleKey) {
      const row = await db
        .selectFrom('schedule_fires')
        .select((eb) => eb.fn.max('fire_at').as('last'))
        .where('schedule_key', '=', scheduleKey)
        .executeTakeFirst();
      return row?.last ?? undefined;
    },
  };
}
