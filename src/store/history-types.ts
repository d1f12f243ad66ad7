/**
 * Store contracts for run history and operations on it: flow versions, claim-check payloads,
 * paused flows, replay of dead runs, retention and queue statistics.
 */
import type { RunFilter, RunRecord, RunStatus } from './types.ts';

export interface FlowVersionRecord {
  /** The version hash (FlowDefinition.version). */
  readonly id: string;
  readonly flow: string;
  readonly definition: unknown;
  readonly createdAt: number;
}

export interface FlowVersionRepository {
  /** Stores a version once; a second save of the same id is ignored. */
  save(version: { id: string; flow: string; definition: unknown }, now: number): Promise<void>;
  get(id: string): Promise<FlowVersionRecord | undefined>;
  /** Versions of one flow, newest first, without their definitions. */
  list(flow: string): Promise<Omit<FlowVersionRecord, 'definition'>[]>;
}

export interface PayloadRepository {
  /** Stores `data` (JSON text) under `id` once; a second put of the same id is ignored. */
  put(payload: { id: string; runId: string; data: string }, now: number): Promise<void>;
  get(id: string): Promise<string | undefined>;
}

export interface FlowPauseRecord {
  readonly flow: string;
  readonly pausedAt: number;
  readonly reason: string | null;
}

export interface FlowPauseRepository {
  /** True when this call paused the flow, false when it was paused already. */
  pause(flow: string, reason: string | null, now: number): Promise<boolean>;
  /** True when the flow was paused. */
  resume(flow: string): Promise<boolean>;
  list(): Promise<FlowPauseRecord[]>;
}

export interface ReplayRequest {
  /** Keep the completed steps and start again at the failed one (default); false starts over. */
  readonly fromFailedStep: boolean;
  /** Replaces the run's trigger data when given. */
  readonly input?: unknown;
}

export interface QueueStats {
  /** Runs waiting (queued, due now) and being executed. */
  readonly queued: number;
  readonly running: number;
  /** Age in ms of the oldest due queued run; 0 when none waits. */
  readonly oldestAgeMs: number;
}

export interface RunMaintenanceRepository {
  /**
   * Puts a dead or failed run back in the queue, in one transaction: deletes the failed step
   * records (and with `fromFailedStep: false` every step record), clears error and output,
   * counts the replay and replaces the input when given. Undefined when the run is not
   * dead/failed (or does not exist).
   */
  replay(id: string, request: ReplayRequest, now: number): Promise<RunRecord | undefined>;
  /** Deletes finished runs of `status` finished before `before` (steps and payloads with them), at most `limit`. */
  prune(status: Exclude<RunStatus, 'queued' | 'running'>, before: number, limit: number): Promise<number>;
  /** Ids of runs matching the filter, oldest first, at most `limit` (bulk replay). */
  listIds(filter: Omit<RunFilter, 'limit' | 'before'>, limit: number): Promise<string[]>;
  queueStats(now: number): Promise<QueueStats>;
}
