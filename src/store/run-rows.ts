import type { Insertable, Selectable } from 'kysely';
import type { RunsTable, StepsTable } from './db-schema.ts';
import { decodeJson, encodeJson } from './json-column.ts';
import type { RunRecord, RunRepository, RunStatus, StepRecord, StepStatus } from './types.ts';

/**
 * The row of a new run (runs.create, and runs opened by debounce or batching): queued, or
 * running under `lease` when its starter executes it at once.
 */
export function newRunRow(
  run: Parameters<RunRepository['create']>[0],
  now: number,
  lease?: { readonly owner: string; readonly expiresAt: number },
): Insertable<RunsTable> {
  return {
    id: run.id,
    flow: run.flow,
    flow_version: run.flowVersion,
    status: lease === undefined ? 'queued' : 'running',
    trigger_type: run.triggerType,
    input: encodeJson(run.input),
    output: null,
    error: null,
    correlation_id: run.correlationId,
    created_at: now,
    updated_at: now,
    finished_at: null,
    available_at: run.availableAt ?? now,
    priority: run.priority ?? 0,
    lease_owner: lease?.owner ?? null,
    lease_expires_at: lease?.expiresAt ?? null,
    attempts: lease === undefined ? 0 : 1,
  };
}

export function toRunRecord(row: Selectable<RunsTable>): RunRecord {
  return {
    id: row.id,
    flow: row.flow,
    flowVersion: row.flow_version,
    status: row.status as RunStatus,
    triggerType: row.trigger_type,
    input: decodeJson(row.input),
    output: decodeJson(row.output),
    error: decodeJson(row.error),
    correlationId: row.correlation_id,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    availableAt: row.available_at,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    replays: row.replays,
  };
}

export function toStepRecord(row: Selectable<StepsTable>): StepRecord {
  return {
    runId: row.run_id,
    stepId: row.step_id,
    status: row.status as StepStatus,
    input: decodeJson(row.input),
    output: decodeJson(row.output),
    error: decodeJson(row.error),
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
