/**
 * Debounce and batching keep the triggers they collect in the store, next to the run that will
 * carry them: nothing collected lives only in memory, so a crash or restart loses none.
 */
import type { RunRecord } from './types.ts';

export type CollectKind = 'debounce' | 'batch';

/** `pending` until its run starts; `superseded` by a later trigger in a debounce window; `started`. */
export type CollectedStatus = 'pending' | 'superseded' | 'started';

export interface CollectedTrigger {
  readonly id: string;
  readonly runId: string;
  readonly kind: CollectKind;
  /** Arrival order within the run, from 1. */
  readonly seq: number;
  readonly input: unknown;
  readonly status: CollectedStatus;
  /** Debounce: the trigger that replaced this one. */
  readonly supersededBy: string | null;
  readonly createdAt: number;
  readonly settledAt: number | null;
}

export interface CollectRequest {
  readonly kind: CollectKind;
  /** `<flow>:<key value>`: the triggers of one key collect into one run. */
  readonly key: string;
  /** Its id makes collecting idempotent: a trigger already collected returns its run. */
  readonly trigger: { readonly id: string; readonly input: unknown };
  /** The run to create when no run of the key is still collecting. */
  readonly run: Pick<RunRecord, 'id' | 'flow' | 'flowVersion' | 'triggerType' | 'correlationId'> & {
    readonly priority?: number;
  };
  /** Debounce: the quiet period each trigger restarts. Batch: how long the first trigger waits at most. */
  readonly windowMs: number;
  /** Debounce: the run starts at the latest this long after the first trigger of its window. */
  readonly maxWaitMs?: number;
  /** Batch: the run starts as soon as it holds this many triggers. */
  readonly maxItems?: number;
  readonly now: number;
}

export interface CollectResult {
  readonly run: RunRecord;
  /** True when this trigger opened a new run (false: it joined one, or was collected before). */
  readonly created: boolean;
  /** The run is due now (a batch just filled up). */
  readonly due: boolean;
}

export interface FlowControlRepository {
  /**
   * Collects a trigger into the run of its key that is still collecting (queued, never
   * claimed), or opens a new one; serialised per key across processes.
   */
  collect(request: CollectRequest): Promise<CollectResult>;
  /** The triggers collected for a run, in arrival order. */
  collected(runId: string): Promise<CollectedTrigger[]>;
  /**
   * Stores the trigger data built from a run's collected triggers and marks them started,
   * while `owner` holds the run; false when it does not.
   */
  seal(runId: string, owner: string, input: unknown, now: number): Promise<boolean>;
}

/** The trigger data of a run that is still collecting: it is built from its triggers when claimed. */
export const COLLECTING = '$collecting';

export function collectingKind(input: unknown): CollectKind | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const kind = (input as Record<string, unknown>)[COLLECTING];
  return kind === 'debounce' || kind === 'batch' ? kind : undefined;
}

export interface FlowControlTriggersTable {
  id: string;
  run_id: string;
  control_key: string;
  kind: string;
  seq: number;
  input: string | null;
  status: string;
  superseded_by: string | null;
  created_at: number;
  settled_at: number | null;
}

export interface FlowControlKeysTable {
  control_key: string;
  run_id: string;
  kind: string;
}
