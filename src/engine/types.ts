import type { Logger, Metrics } from '../observability/index.ts';
import type { FlowDefinition, MappingDefinition } from '../project/index.ts';
import type { RunRecord, Store } from '../store/index.ts';
import type { SystemCaller } from '../systems/index.ts';

export interface EngineDeps {
  readonly store: Store;
  readonly systems: SystemCaller;
  /** Applied to step inputs/outputs and run outputs/errors before they are stored. */
  readonly redact: (value: unknown) => unknown;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Names this process as lease owner; defaults to host:pid:random. */
  readonly workerId?: string;
  /** How often the worker looks for due runs when nobody woke it (default 500 ms). */
  readonly pollIntervalMs?: number;
  /** How long a claimed run stays leased without renewal (default 30 s); renewed every third. */
  readonly leaseMs?: number;
  /** Runs executed at once by this process (default 64). */
  readonly concurrency?: number;
  /** Step values and trigger data whose JSON exceeds this many bytes are stored once and passed by reference (default 256 KiB). */
  readonly claimCheckBytes?: number;
  /** Private addresses (CIDR) or host names `http` steps may reach; everything private is refused otherwise. */
  readonly httpAllow?: readonly string[];
  /** Keys `wait` callback URLs; must be the same in every process (default: random per process). */
  readonly callbackSecret?: string;
}

export interface StartRunOptions {
  /** `webhook`, `schedule`, `route`, `replay`... */
  readonly triggerType: string;
  readonly correlationId: string;
  /** Fixes the run id: a second start with the same id returns the existing run. */
  readonly id?: string;
  /**
   * The starter waits for the run (a sync trigger): execute it in this process at once when
   * the worker has a free slot, instead of queueing it for a claim.
   */
  readonly eager?: boolean;
}

export interface Engine {
  /**
   * Loads (or hot-reloads) flow definitions; compiles every expression first, so a broken
   * project is rejected (MAPPING_COMPILE_FAILED, ENGINE_SCHEDULE_INVALID) and the previous
   * definitions stay. Earlier versions stay known so running runs finish on their own version.
   */
  load(flows: ReadonlyMap<string, FlowDefinition>, mappings: ReadonlyMap<string, MappingDefinition>): void;
  /** Durably queues a run and wakes the local worker; ENGINE_FLOW_NOT_FOUND for unknown flows. */
  startRun(flowName: string, input: unknown, options: StartRunOptions): Promise<RunRecord>;
  /** Publishes an event on the internal bus (stored, then dispatched to waits and event triggers). */
  publish(event: { id: string; name: string; key: string | null; data: unknown }): Promise<void>;
  /** Resumes the wait step behind a callback token; false when no wait has that token (or it was delivered). */
  deliverCallback(token: string, payload: unknown): Promise<boolean>;
  /** Path prefix of callback URLs on the gateway (`/hooks/_callback/`). */
  readonly callbackPrefix: string;
  /** Resolves with the finished run; ENGINE_RUN_TIMEOUT after `timeoutMs`, ENGINE_RUN_NOT_FOUND for unknown ids. */
  waitForRun(runId: string, timeoutMs: number): Promise<RunRecord>;
  /** Starts the worker loop, the scheduler and the queue-depth sampler. */
  start(): Promise<void>;
  /** Stops claiming, lets in-flight steps finish until the deadline, then abandons them to the next claimer. */
  stop(timeoutMs: number): Promise<void>;
}
