import type { Selectable } from 'kysely';
import type { RunsTable, StepsTable } from './db-schema.ts';
import { decodeJson } from './json-column.ts';
import type { RunRecord, RunStatus, StepRecord, StepStatus } from './types.ts';

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
