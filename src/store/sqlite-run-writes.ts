/**
 * The run repository's per-run operations on SQLite, as prepared better-sqlite3 statements in
 * group commits (sqlite-write-batch.ts) rather than Kysely queries: a run executes them about
 * five times, and building and compiling each query cost more than SQLite's own work. The SQL
 * is the same as the Kysely versions in run-repository.ts, which PostgreSQL uses; the store
 * contract suite runs both.
 */
import type SqliteDatabase from 'better-sqlite3';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, RunsTable } from './db-schema.ts';
import { encodeJson } from './json-column.ts';
import { newRunRow, toRunRecord } from './run-rows.ts';
import { createWriteBatch } from './sqlite-write-batch.ts';
import type { RunRecord, RunRepository } from './types.ts';

type RunWrites = Pick<RunRepository, 'create' | 'get' | 'saveStep' | 'finish' | 'requeue' | 'renewLease'>;

const RUN_COLUMNS = Object.keys(
  newRunRow({ id: '', flow: '', flowVersion: '', triggerType: '', input: null, correlationId: '' }, 0),
);

/** The record of a row just inserted: no read back, and the input as the caller passed it. */
function createdRecord(row: Insertable<RunsTable>, input: unknown): RunRecord {
  return {
    id: row.id,
    flow: row.flow,
    flowVersion: row.flow_version,
    status: row.status as RunRecord['status'],
    triggerType: row.trigger_type,
    input,
    output: null,
    error: null,
    correlationId: row.correlation_id,
    attempts: row.attempts ?? 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: null,
    availableAt: row.available_at,
    leaseOwner: row.lease_owner ?? null,
    leaseExpiresAt: row.lease_expires_at ?? null,
    replays: 0,
  };
}

export function createSqliteRunWrites(db: Kysely<Database>, database: SqliteDatabase.Database): RunWrites {
  const batch = createWriteBatch(db, database);
  const paused = database.prepare('select 1 from flow_pauses where flow = ?').pluck();
  const insertRun = database.prepare(
    `insert into runs (${RUN_COLUMNS.join(', ')}) values (${RUN_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const selectRun = database.prepare('select * from runs where id = ?');
  const insertStep = database.prepare(
    `insert into steps (run_id, step_id, status, input, output, error, attempts, started_at, finished_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (run_id, step_id) do nothing`,
  );
  const owned = "where id = ? and status = 'running' and lease_owner = ?";
  const finishRun = database.prepare(
    `update runs set status = ?, output = ?, error = ?, finished_at = ?, updated_at = ?,
     lease_owner = null, lease_expires_at = null ${owned}`,
  );
  const requeueRun = database.prepare(
    `update runs set status = 'queued', available_at = ?, error = ?, updated_at = ?,
     lease_owner = null, lease_expires_at = null ${owned}`,
  );
  const renewRun = database.prepare(`update runs set lease_expires_at = ?, updated_at = ? ${owned}`);

  return {
    create(run) {
      const now = Date.now();
      return batch.run(() => {
        // Checked in the same transaction as the insert: a pause cannot slip in between.
        const lease = run.lease === undefined || paused.get(run.flow) !== undefined ? undefined : run.lease;
        const row = newRunRow(run, now, lease);
        insertRun.run(row);
        return createdRecord(row, run.input === undefined ? null : run.input);
      });
    },

    get(id) {
      return batch.run(() => {
        const row = selectRun.get(id) as Selectable<RunsTable> | undefined;
        return row === undefined ? undefined : toRunRecord(row);
      });
    },

    saveStep(step) {
      const values = [
        step.runId,
        step.stepId,
        step.status,
        encodeJson(step.input),
        encodeJson(step.output),
        encodeJson(step.error),
        step.attempts,
        step.startedAt,
        step.finishedAt,
      ];
      return batch.run(() => {
        insertStep.run(values);
      });
    },

    finish(id, owner, result, now) {
      const output = encodeJson(result.output);
      const error = encodeJson(result.error);
      return batch.run(() => finishRun.run(result.status, output, error, now, now, id, owner).changes > 0);
    },

    requeue(id, owner, availableAt, error, now) {
      const encoded = encodeJson(error);
      return batch.run(() => requeueRun.run(availableAt, encoded, now, id, owner).changes > 0);
    },

    renewLease(id, owner, leaseMs, now) {
      return batch.run(() => renewRun.run(now + leaseMs, now, id, owner).changes > 0);
    },
  };
}
