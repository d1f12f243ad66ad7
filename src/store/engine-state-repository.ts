import { type Kysely, sql } from 'kysely';
import type { Database } from './db-schema.ts';
import type { EngineStateRepository, SlotMode, WaitRecord } from './engine-state-types.ts';
import { decodeJson, encodeJson } from './json-column.ts';
import { type Db, withKeyLock } from './key-lock.ts';
import type { Dialect } from './types.ts';

function toWait(row: Database['engine_waits']): WaitRecord {
  return {
    runId: row.run_id,
    stepId: row.step_id,
    topic: row.topic,
    deadline: Number(row.deadline),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
    payload: decodeJson(row.payload),
  };
}

function dropInvalid(db: Db, key: string, mode: SlotMode, now: number) {
  const query = db.deleteFrom('engine_slots').where('key', '=', key);
  if (mode === 'expiring') return query.where('expires_at', '<=', now);
  const alive = db
    .selectFrom('runs')
    .select('runs.id')
    .where((eb) =>
      mode === 'running'
        ? eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '>', now)])
        : eb('status', 'in', ['queued', 'running']),
    );
  // A run-held slot may carry a grace time: its run is about to be created.
  return query
    .where('holder', 'not in', alive)
    .where((eb) =>
      eb.or([
        eb('expires_at', 'is', null),
        eb('expires_at', '<=', now),
        eb('holder', 'in', db.selectFrom('runs').select('runs.id')),
      ]),
    );
}

export function createEngineStateRepository(db: Kysely<Database>, dialect: Dialect): EngineStateRepository {
  return {
    async registerWait(wait) {
      await db
        .insertInto('engine_waits')
        .values({
          run_id: wait.runId,
          step_id: wait.stepId,
          topic: wait.topic,
          deadline: wait.deadline,
          delivered_at: null,
          payload: null,
        })
        .onConflict((oc) => oc.columns(['run_id', 'step_id']).doNothing())
        .execute();
      const row = await db
        .selectFrom('engine_waits')
        .selectAll()
        .where('run_id', '=', wait.runId)
        .where('step_id', '=', wait.stepId)
        .executeTakeFirstOrThrow();
      return toWait(row);
    },

    async deliver(topic, payload, now) {
      const rows = await db
        .updateTable('engine_waits')
        .set({ delivered_at: now, payload: encodeJson(payload) })
        .where('topic', '=', topic)
        .where('delivered_at', 'is', null)
        .returning('run_id')
        .execute();
      const ids = rows.map((row) => row.run_id);
      if (ids.length > 0) {
        await db
          .updateTable('runs')
          .set({ available_at: now, updated_at: now })
          .where('id', 'in', ids)
          .where('status', '=', 'queued')
          .execute();
      }
      return ids;
    },

    async wakeRun(runId, now) {
      const update = await db
        .updateTable('runs')
        .set({ available_at: now, updated_at: now })
        .where('id', '=', runId)
        .where('status', '=', 'queued')
        .executeTakeFirst();
      return update.numUpdatedRows > 0n;
    },

    async claimOnce(scope, id, expiresAt, now) {
      // Expired entries of the scope go first, so an id may be used again after its window.
      await db.deleteFrom('engine_dedup').where('scope', '=', scope).where('expires_at', '<=', now).execute();
      const row = await db
        .insertInto('engine_dedup')
        .values({ scope, id, expires_at: expiresAt })
        .onConflict((oc) => oc.columns(['scope', 'id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },

    async getState(key) {
      const row = await db.selectFrom('engine_kv').select('value').where('key', '=', key).executeTakeFirst();
      return row === undefined ? undefined : decodeJson(row.value);
    },

    async setState(key, value, now) {
      await db
        .insertInto('engine_kv')
        .values({ key, value: encodeJson(value), updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: encodeJson(value), updated_at: now }))
        .execute();
    },

    acquireSlot(key, holder, limit, mode, now, expiresAt) {
      return withKeyLock(db, dialect, key, async (trx) => {
        await dropInvalid(trx, key, mode, now).execute();
        const rows = await trx.selectFrom('engine_slots').select('holder').where('key', '=', key).execute();
        if (rows.some((row) => row.holder === holder)) return true;
        if (rows.length >= limit) return false;
        await trx
          .insertInto('engine_slots')
          .values({ key, holder, mode, expires_at: expiresAt ?? null })
          .execute();
        return true;
      });
    },

    async releaseSlot(key, holder) {
      await db.deleteFrom('engine_slots').where('key', '=', key).where('holder', '=', holder).execute();
    },

    async slotHolders(key, mode, now) {
      await dropInvalid(db, key, mode, now).execute();
      const rows = await db.selectFrom('engine_slots').select('holder').where('key', '=', key).execute();
      return rows.map((row) => row.holder);
    },

    async takeRate(key, limit, periodMs, now) {
      const windowStart = Math.floor(now / periodMs) * periodMs;
      const row = await db
        .insertInto('engine_rates')
        .values({ key, window_start: windowStart, count: 1 })
        .onConflict((oc) =>
          oc
            .columns(['key', 'window_start'])
            .doUpdateSet({ count: sql`engine_rates.count + 1` })
            .where('engine_rates.count', '<', limit),
        )
        .returning('count')
        .executeTakeFirst();
      if (row !== undefined && limit >= 1) {
        // Windows that ended before the clock's previous period are of no further use (`now`
        // may lie ahead: a throttle reserves places in later windows).
        if (row.count === 1) {
          await db
            .deleteFrom('engine_rates')
            .where('key', '=', key)
            .where('window_start', '<', Date.now() - 2 * periodMs)
            .execute();
        }
        return undefined;
      }
      return windowStart + periodMs;
    },

    async appendEvent(event, now) {
      const row = await db
        .insertInto('engine_events')
        .values({
          id: event.id,
          name: event.name,
          key: event.key,
          data: encodeJson(event.data),
          created_at: now,
          dispatched_at: null,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },

    async pendingEvents(before, limit) {
      const rows = await db
        .selectFrom('engine_events')
        .selectAll()
        .where('dispatched_at', 'is', null)
        .where('created_at', '<', before)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        key: row.key,
        data: decodeJson(row.data),
        createdAt: Number(row.created_at),
      }));
    },

    async markDispatched(id, now) {
      await db.updateTable('engine_events').set({ dispatched_at: now }).where('id', '=', id).execute();
    },
  };
}
