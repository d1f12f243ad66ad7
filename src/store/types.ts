/**
 * The store's public contract: one repository per concept, implemented once over Kysely for
 * both SQLite (embedded default) and PostgreSQL. Timestamps are epoch milliseconds; JSON
 * columns are passed as plain values and (de)serialised inside the store.
 */

import type { AuditRepository } from './audit-types.ts';
import type { UpstreamBudgetRepository } from './budget-types.ts';
import type { ConnectionPauseRepository } from './connection-pause-types.ts';
import type { EngineStateRepository } from './engine-state-types.ts';
import type { FlowControlRepository } from './flow-control-types.ts';
import type {
  FlowPauseRepository,
  FlowVersionRepository,
  PayloadRepository,
  RunMaintenanceRepository,
} from './history-types.ts';
import type {
  AdminPrincipalRepository,
  ConsumerRepository,
  OAuthRepository,
  PlanRepository,
} from './identity-types.ts';
import type { QuotaRepository } from './quota-types.ts';
import type { RunNotices } from './run-notices.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface ApiKeyRecord {
  readonly id: string;
  /** Who the key belongs to (consumer name until identity grows consumers of its own). */
  readonly consumer: string;
  readonly name: string;
  /** The visible, non-secret beginning of the key, for identification in lists and logs. */
  readonly prefix: string;
  /** HMAC-SHA-256 of the whole key (hex); the key itself is never stored. */
  readonly hash: string;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
  readonly lastUsedAt: number | null;
  /** Rotation: the successor of this key (it then expires at the end of the overlap), and the key this one replaced. */
  readonly replacedBy?: string | null;
  readonly replaces?: string | null;
}

export interface ApiKeyRepository {
  create(
    key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt' | 'lastUsedAt' | 'replacedBy'>,
  ): Promise<ApiKeyRecord>;
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Marks `id` as replaced by `successor`, expiring at `expiresAt` (rotation overlap); false when not active. */
  markReplaced(id: string, successor: string, expiresAt: number): Promise<boolean>;
  /** Revokes every active key of a consumer (e.g. when it is deleted). */
  revokeByConsumer(consumer: string, at: number): Promise<number>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: string, at: number): Promise<boolean>;
  touchLastUsed(id: string, at: number): Promise<void>;
}

/** A secret as stored: AES-256-GCM ciphertext under a per-secret data key wrapped by the KEK. */
export interface SecretEnvelope {
  readonly name: string;
  readonly ciphertext: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly wrappedKey: Buffer;
  /** Identifies the KEK that wrapped the data key, so keys can be rotated. */
  readonly kekId: string;
  readonly updatedAt: number;
}

export interface SecretRepository {
  put(envelope: SecretEnvelope): Promise<void>;
  get(name: string): Promise<SecretEnvelope | undefined>;
  listNames(): Promise<string[]>;
  delete(name: string): Promise<boolean>;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'dead';

export interface RunRecord {
  readonly id: string;
  readonly flow: string;
  readonly flowVersion: string;
  readonly status: RunStatus;
  /** What started the run: `webhook`, `schedule`, `route`, `replay`... */
  readonly triggerType: string;
  readonly input: unknown;
  readonly output: unknown;
  readonly error: unknown;
  readonly correlationId: string;
  readonly attempts: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly finishedAt: number | null;
  /** Earliest time a worker may (re)claim the run: retry backoff and scheduling. */
  readonly availableAt: number;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: number | null;
  /** How often the run was replayed from the dead letter (0 for an original run). */
  readonly replays: number;
}

export type StepStatus = 'succeeded' | 'failed';

export interface StepRecord {
  readonly runId: string;
  readonly stepId: string;
  readonly status: StepStatus;
  readonly input: unknown;
  readonly output: unknown;
  readonly error: unknown;
  readonly attempts: number;
  readonly startedAt: number;
  readonly finishedAt: number;
}

export interface RunFilter {
  readonly flow?: string;
  readonly status?: RunStatus;
  readonly correlationId?: string;
  readonly flowVersion?: string;
  readonly triggerType?: string;
  /** Created at or after / before these epoch-ms times. */
  readonly createdAfter?: number;
  readonly createdBefore?: number;
  readonly limit?: number;
  /** Opaque cursor from a previous page (the last run's createdAt and id). */
  readonly before?: string;
}

export interface RunRepository {
  create(
    run: Pick<RunRecord, 'id' | 'flow' | 'flowVersion' | 'triggerType' | 'input' | 'correlationId'> & {
      readonly availableAt?: number;
      /** Claim order among due runs, highest first (default 0). */
      readonly priority?: number;
      /**
       * Creates the run already leased to this owner (status running, attempt 1), so that its
       * starter executes it at once without a claim (a sync webhook). A run of a paused flow is
       * queued instead; the returned status tells which.
       */
      readonly lease?: { readonly owner: string; readonly expiresAt: number };
    },
  ): Promise<RunRecord>;
  get(id: string): Promise<RunRecord | undefined>;
  list(filter: RunFilter): Promise<{ runs: RunRecord[]; next: string | null }>;
  /**
   * Atomically leases up to `limit` runs that are queued (and available) or running with an
   * expired lease. PostgreSQL uses FOR UPDATE SKIP LOCKED; SQLite a single write transaction.
   */
  claim(owner: string, leaseMs: number, limit: number, now: number): Promise<RunRecord[]>;
  /** Extends the lease; false when the lease was lost (another owner took the run). */
  renewLease(id: string, owner: string, leaseMs: number, now: number): Promise<boolean>;
  /** Releases every lease (embedded single-process start: the previous process is gone). */
  releaseAllLeases(): Promise<number>;
  /** Finishes the run (status succeeded/failed/dead) if `owner` still holds it. */
  finish(
    id: string,
    owner: string,
    result: { status: 'succeeded' | 'failed' | 'dead'; output?: unknown; error?: unknown },
    now: number,
  ): Promise<boolean>;
  /** Puts the run back to queued for a later attempt (retry with backoff). */
  requeue(id: string, owner: string, availableAt: number, error: unknown, now: number): Promise<boolean>;
  /** Records a completed step. Idempotent: a second save of the same (runId, stepId) is ignored. */
  saveStep(step: StepRecord): Promise<void>;
  listSteps(runId: string): Promise<StepRecord[]>;
  countByStatus(): Promise<Record<RunStatus, number>>;
}

export interface ScheduleRepository {
  /**
   * Claims one fire of a schedule; true for exactly one caller across processes and restarts,
   * so a cron tick never fires twice.
   */
  claimFire(scheduleKey: string, fireAt: number): Promise<boolean>;
  lastFire(scheduleKey: string): Promise<number | undefined>;
}

export interface Store {
  readonly dialect: Dialect;
  readonly keys: ApiKeyRepository;
  readonly secrets: SecretRepository;
  readonly runs: RunRepository;
  readonly schedules: ScheduleRepository;
  readonly flowVersions: FlowVersionRepository;
  readonly payloads: PayloadRepository;
  readonly flowPauses: FlowPauseRepository;
  readonly runMaintenance: RunMaintenanceRepository;
  /** Waits, dedup ids, trigger state, flow-control slots and rates, the event outbox. */
  readonly engine: EngineStateRepository;
  /** Triggers collected by debounce and batching, with the runs that carry them. */
  readonly flowControl: FlowControlRepository;
  /** Upstream budgets shared through the store (src/systems/budget). */
  readonly budgets: UpstreamBudgetRepository;
  /** Flows paused by a system's invalid credentials (connection-pause-types.ts). */
  readonly connectionPauses: ConnectionPauseRepository;
  /** Gateway quota counters (src/gateway/policies/quota). */
  readonly quotas: QuotaRepository;
  /** The audit trail (partner API calls; audit-types.ts). */
  readonly audit: AuditRepository;
  /** Identity: consumers, plans, OAuth clients/users/models, admin principals (identity-types.ts). */
  readonly consumers: ConsumerRepository;
  readonly plans: PlanRepository;
  readonly oauth: OAuthRepository;
  readonly adminPrincipals: AdminPrincipalRepository;
  /** Resolves when the database answers; throws STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  /** Announcements of runs finished by other processes (PostgreSQL); sync waiters use them. */
  readonly runNotices: RunNotices;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://... for PostgreSQL; otherwise the embedded SQLite file at `sqlitePath`. */
  readonly databaseUrl?: string;
  readonly sqlitePath: string;
  /**
   * PostgreSQL only: the schema that holds Conflux's tables (created if missing; set as the
   * search_path of every pool connection). Defaults to the connection's own search_path
   * (normally `public`). Lets tests and shared databases keep separate, droppable namespaces.
   */
  readonly schema?: string;
  /**
   * SQLite only: checkpoint the WAL in a background thread instead of during commits, for
   * long-running servers (sqlite-checkpointer.ts). Problems of that thread are reported here.
   */
  readonly backgroundCheckpoints?: { readonly onProblem: (problem: string) => void };
}
