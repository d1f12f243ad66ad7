import type { Kysely } from 'kysely';
import type { Database } from './db-schema.ts';
import {
  COLLECTING,
  type CollectedStatus,
  type CollectKind,
  type CollectRequest,
  type FlowControlRepository,
} from './flow-control-types.ts';
import { decodeJson, encodeJson } from './json-column.ts';
import { type Db, withKeyLock } from './key-lock.ts';
import { newRunRow, toRunRecord } from './run-rows.ts';
import type { Dialect } from './types.ts';

/**
 * The run a key is collecting into, if it still collects: queued and never claimed (a claim
 * builds its trigger data, so nothing may join after it), and for a batch not yet full. On
 * PostgreSQL the run row is locked, so a claim waits for this trigger or this trigger sees the
 * claim; claims skip locked rows and take the run a moment later.
 */
async function openRun(trx: Db, dialect: Dialect, request: CollectRequest) {
  const pointer = await trx
    .selectFrom('flow_control_keys')
    .selectAll()
    .where('control_key', '=', request.key)
    .executeTakeFirst();
  if (pointer === undefined || pointer.kind !== request.kind) return undefined;
  let query = trx.selectFrom('runs').selectAll().where('id', '=', pointer.run_id);
  if (dialect === 'postgres') query = query.forUpdate();
  const run = await query.executeTakeFirst();
  if (run === undefined || run.status !== 'queued' || run.attempts !== 0) return undefined;
  const { count, last } = await trx
    .selectFrom('flow_control_triggers')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max('seq').as('last')])
    .where('run_id', '=', run.id)
    .where('status', '!=', 'superseded')
    .executeTakeFirstOrThrow();
  if (request.kind === 'batch' && Number(count) >= (request.maxItems ?? 1)) return undefined;
  return { run, count: Number(count), last: Number(last ?? 0) };
}

/** When a run collecting `count` triggers (this one included) becomes due. */
function dueAt(request: CollectRequest, firstAt: number, count: number, current: number): number {
  const { now } = request;
  if (request.kind === 'batch') return count >= (request.maxItems ?? 1) ? now : current;
  const quiet = now + request.windowMs;
  return request.maxWaitMs === undefined ? quiet : Math.min(quiet, firstAt + request.maxWaitMs);
}

export function createFlowControlRepository(db: Kysely<Database>, dialect: Dialect): FlowControlRepository {
  return {
    collect(request) {
      return withKeyLock(db, dialect, `control:${request.key}`, async (trx) => {
        const { trigger, now } = request;
        const known = await trx
          .selectFrom('flow_control_triggers')
          .select('run_id')
          .where('id', '=', trigger.id)
          .executeTakeFirst();
        if (known !== undefined) {
          const row = await trx
            .selectFrom('runs')
            .selectAll()
            .where('id', '=', known.run_id)
            .executeTakeFirstOrThrow();
          return { run: toRunRecord(row), created: false, due: false };
        }
        const open = await openRun(trx, dialect, request);
        const insert = (runId: string, seq: number) =>
          trx
            .insertInto('flow_control_triggers')
            .values({
              id: trigger.id,
              run_id: runId,
              control_key: request.key,
              kind: request.kind,
              seq,
              input: encodeJson(trigger.input),
              status: 'pending',
              superseded_by: null,
              created_at: now,
              settled_at: null,
            })
            .execute();
        if (open !== undefined) {
          if (request.kind === 'debounce') {
            await trx
              .updateTable('flow_control_triggers')
              .set({ status: 'superseded', superseded_by: trigger.id, settled_at: now })
              .where('run_id', '=', open.run.id)
              .where('status', '=', 'pending')
              .execute();
          }
          await insert(open.run.id, open.last + 1);
          const availableAt = dueAt(request, open.run.created_at, open.count + 1, open.run.available_at);
          const row = await trx
            .updateTable('runs')
            .set({ available_at: availableAt, updated_at: now })
            .where('id', '=', open.run.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          return { run: toRunRecord(row), created: false, due: availableAt <= now };
        }
        const availableAt = dueAt(request, now, 1, now + request.windowMs);
        const row = await trx
          .insertInto('runs')
          .values(newRunRow({ ...request.run, input: { [COLLECTING]: request.kind }, availableAt }, now))
          .returningAll()
          .executeTakeFirstOrThrow();
        await insert(row.id, 1);
        await trx
          .insertInto('flow_control_keys')
          .values({ control_key: request.key, run_id: row.id, kind: request.kind })
          .onConflict((oc) => oc.column('control_key').doUpdateSet({ run_id: row.id, kind: request.kind }))
          .execute();
        return { run: toRunRecord(row), created: true, due: availableAt <= now };
      });
    },

    async collected(runId) {
      const rows = await db
        .selectFrom('flow_control_triggers')
        .selectAll()
        .where('run_id', '=', runId)
        .orderBy('seq')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        runId: row.run_id,
        kind: row.kind as CollectKind,
        seq: row.seq,
        input: decodeJson(row.input),
        status: row.status as CollectedStatus,
        supersededBy: row.superseded_by,
        createdAt: Number(row.created_at),
        settledAt: row.settled_at === null ? null : Number(row.settled_at),
      }));
    },

    seal(runId, owner, input, now) {
      return db.transaction().execute(async (trx) => {
        const update = await trx
          .updateTable('runs')
          .set({ input: encodeJson(input), updated_at: now })
          .where('id', '=', runId)
          .where('status', '=', 'running')
          .where('lease_owner', '=', owner)
          .executeTakeFirst();
        if (update.numUpdatedRows === 0n) return false;
        await trx
          .updateTable('flow_control_triggers')
          .set({ status: 'started', settled_at: now })
          .where('run_id', '=', runId)
          .where('status', '=', 'pending')
          .execute();
        await trx.deleteFrom('flow_control_keys').where('run_id', '=', runId).execute();
        return true;
      });
    },
  };
}
