/**
 * Runs are both history and the work queue: `claim` leases due runs to a worker for a while;
 * a worker that dies simply lets its lease expire and another claims the run again. Every
 * state change after claim is conditional on the caller still owning the lease.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from './db-schema.ts';
import { encodeJson } from './json-column.ts';
import { decodeRunCursor, encodeRunCursor } from './run-cursor.ts';
import { applyRunFilter } from './run-filter.ts';
import { RUN_FINISHED_CHANNEL } from './run-notices.ts';
import { newRunRow, toRunRecord, toStepRecord } from './run-rows.ts';
import type { Dialect, RunRecord, RunRepository, RunStatus } from './types.ts';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;
const STATUSES: readonly RunStatus[] = ['queued', 'running', 'succeeded', 'failed', 'dead'];

function byQueueOrder(a: RunRecord, b: RunRecord): number {
  return (
    a.availableAt - b.availableAt || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function createRunRepository(db: Kysely<Database>, dialect: Dialect): RunRepository {
  return {
    async create(run) {
      // A pause that lands between this read and the insert lets the run start, as it would
      // had it been claimed a moment before the pause.
      const paused =
        run.lease !== undefined &&
        (await db
          .selectFrom('flow_pauses')
          .select('flow')
          .where('flow', '=', run.flow)
          .executeTakeFirst()) !== undefined;
      const row = await db
        .insertInto('runs')
        .values(newRunRow(run, Date.now(), paused ? undefined : run.lease))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRunRecord(row);
    },

    async get(id) {
      const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toRunRecord(row);
    },

    async list(filter) {
      const limit = Math.min(Math.max(Math.trunc(filter.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
      let query = applyRunFilter(db.selectFrom('runs').selectAll(), filter);
      if (filter.before !== undefined) {
        const cursor = decodeRunCursor(filter.before);
        query = query.where((eb) =>
          eb.or([
            eb('created_at', '<', cursor.createdAt),
            eb.and([eb('created_at', '=', cursor.createdAt), eb('id', '<', cursor.id)]),
          ]),
        );
      }
      // One extra row tells whether another page exists without a count.
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const runs = rows.slice(0, limit).map(toRunRecord);
      const last = runs.at(-1);
      return { runs, next: rows.length > limit && last ? encodeRunCursor(last) : null };
    },

    // One UPDATE ... WHERE id IN (SELECT ... LIMIT n) statement is one transaction on both
    // dialects. On PostgreSQL the inner SELECTs lock with SKIP LOCKED, so concurrent claimers
    // take disjoint rows without waiting; on SQLite the statement holds the single write lock.
    // Due queued runs and runs whose lease expired are chosen apart, each arm reading its
    // first `limit` rows in claim order from an index (runs_claim_order, runs_claim_expired),
    // then merged: a long backlog costs nothing per claim, where one OR-ed select had to sort
    // every due run.
    async claim(owner, leaseMs, limit, now) {
      const arm = (status: 'queued' | 'running') => {
        let rows = db
          .selectFrom('runs')
          .select(['id', 'priority', 'available_at', 'created_at'])
          .where('status', '=', status)
          .where(status === 'queued' ? 'available_at' : 'lease_expires_at', '<=', now)
          // Runs of a paused flow stay queued until it is resumed.
          .where('flow', 'not in', db.selectFrom('flow_pauses').select('flow'))
          .orderBy('priority', 'desc')
          .orderBy('available_at')
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit);
        if (dialect === 'postgres') rows = rows.forUpdate().skipLocked();
        return db.selectFrom(rows.as(status)).selectAll();
      };
      const due = db
        .selectFrom(arm('queued').unionAll(arm('running')).as('due'))
        .select('id')
        .orderBy('priority', 'desc')
        .orderBy('available_at')
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit);
      const rows = await db
        .updateTable('runs')
        .set((eb) => ({
          status: 'running',
          lease_owner: owner,
          lease_expires_at: now + leaseMs,
          attempts: eb('attempts', '+', 1),
          updated_at: now,
        }))
        .where('id', 'in', due)
        .returningAll()
        .execute();
      return rows.map(toRunRecord).sort(byQueueOrder);
    },

    async renewLease(id, owner, leaseMs, now) {
      const result = await db
        .updateTable('runs')
        .set({ lease_expires_at: now + leaseMs, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async releaseAllLeases() {
      const result = await db
        .updateTable('runs')
        .set({ status: 'queued', lease_owner: null, lease_expires_at: null, updated_at: Date.now() })
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async finish(id, owner, result, now) {
      const update = db
        .updateTable('runs')
        .set({
          status: result.status,
          output: encodeJson(result.output),
          error: encodeJson(result.error),
          finished_at: now,
          updated_at: now,
          lease_owner: null,
          lease_expires_at: null,
        })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('lease_owner', '=', owner);
      if (dialect !== 'postgres') return (await update.executeTakeFirst()).numUpdatedRows > 0n;
      // Waiters in other processes (a gateway answering a sync webhook) hear of it at once: the
      // notice rides on the update's own statement, sent only when a row was finished.
      const notified = await db
        .with('finished', () => update.returning('id'))
        .selectFrom('finished')
        .select(sql<string>`pg_notify(${RUN_FINISHED_CHANNEL}, finished.id)`.as('notice'))
        .execute();
      return notified.length > 0;
    },

    async requeue(id, owner, availableAt, error, now) {
      const update = await db
        .updateTable('runs')
        .set({
          status: 'queued',
          available_at: availableAt,
          error: encodeJson(error),
          updated_at: now,
          lease_owner: null,
          lease_expires_at: null,
        })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      return update.numUpdatedRows > 0n;
    },

    async saveStep(step) {
      await db
        .insertInto('steps')
        .values({
          run_id: step.runId,
          step_id: step.stepId,
          status: step.status,
          input: encodeJson(step.input),
          output: encodeJson(step.output),
          error: encodeJson(step.error),
          attempts: step.attempts,
          started_at: step.startedAt,
          finished_at: step.finishedAt,
        })
        .onConflict((oc) => oc.columns(['run_id', 'step_id']).doNothing())
        .execute();
    },

    async listSteps(runId) {
      const rows = await db
        .selectFrom('steps')
        .selectAll()
        .where('run_id', '=', runId)
        .orderBy('started_at')
        .orderBy('step_id')
        .execute();
      return rows.map(toStepRecord);
    },

    async countByStatus() {
      const rows = await db
        .selectFrom('runs')
        .select((eb) => ['status', eb.fn.countAll<number | string>().as('count')])
        .groupBy('status')
        .execute();
      const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>;
      for (const row of rows) {
        if (STATUSES.includes(row.status as RunStatus)) counts[row.status as RunStatus] = Number(row.count);
      }
      return counts;
    },
  };
}
