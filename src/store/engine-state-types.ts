/** What the engine's triggers, waiting steps and flow control keep in the store. */

export interface WaitRecord {
  readonly runId: string;
  readonly stepId: string;
  /** What delivers it (`event:<name>:<key>`, `callback:<token>`, `run:<id>`); null for a plain timer. */
  readonly topic: string | null;
  readonly deadline: number;
  readonly deliveredAt: number | null;
  readonly payload: unknown;
}

export interface EventRecord {
  readonly id: string;
  readonly name: string;
  readonly key: string | null;
  readonly data: unknown;
  readonly createdAt: number;
}

/**
 * How a slot holder stays valid: `running` while its run executes under a live lease,
 * `active` until its run finishes, `expiring` until `expiresAt`.
 */
export type SlotMode = 'running' | 'active' | 'expiring';

export interface EngineStateRepository {
  /** Registers a wait once; a second call returns the first registration (its deadline, any delivery). */
  registerWait(wait: {
    readonly runId: string;
    readonly stepId: string;
    readonly topic: string | null;
    readonly deadline: number;
  }): Promise<WaitRecord>;
  /** Delivers `payload` to every undelivered wait on `topic` and makes those runs due now; their ids. */
  deliver(topic: string, payload: unknown, now: number): Promise<string[]>;
  /** Makes a queued (parked) run due now; false when it is not queued. */
  wakeRun(runId: string, now: number): Promise<boolean>;
  /** True for the first claim of (scope, id) until `expiresAt`: replay protection and dedup. */
  claimOnce(scope: string, id: string, expiresAt: number, now: number): Promise<boolean>;
  getState(key: string): Promise<unknown>;
  setState(key: string, value: unknown, now: number): Promise<void>;
  /**
   * Takes one of `limit` slots under `key` for `holder` (idempotent for a holder that has one).
   * Holders that are no longer valid under `mode` are dropped first. Serialised per key.
   */
  acquireSlot(
    key: string,
    holder: string,
    limit: number,
    mode: SlotMode,
    now: number,
    expiresAt?: number,
  ): Promise<boolean>;
  releaseSlot(key: string, holder: string): Promise<void>;
  /** Valid holders of `key`, oldest first. */
  slotHolders(key: string, mode: SlotMode, now: number): Promise<string[]>;
  /** Counts one use in the fixed window containing `now`; undefined when allowed, else when the next window opens. */
  takeRate(key: string, limit: number, periodMs: number, now: number): Promise<number | undefined>;
  /** Stores an event once (by id); false when it was already stored. */
  appendEvent(event: Omit<EventRecord, 'createdAt'>, now: number): Promise<boolean>;
  /** Events not yet dispatched, created before `before`, oldest first. */
  pendingEvents(before: number, limit: number): Promise<EventRecord[]>;
  markDispatched(id: string, now: number): Promise<void>;
}
