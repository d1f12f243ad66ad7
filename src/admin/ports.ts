import type { ApiKeyService } from '../identity/index.ts';
import type { Logger, Metrics } from '../observability/index.ts';
import type {
  CollectedTrigger,
  FlowVersionRecord,
  RunFilter,
  RunRecord,
  RunRepository,
} from '../store/index.ts';
import type { GatewayAdmin } from './gateway-admin.ts';
import type { IdentityAdmin } from './identity-admin.ts';
import type { SystemsAdmin } from './systems-admin.ts';

/** What the admin API needs, wired by the composition root. */
export interface AdminDependencies {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly keys: ApiKeyService;
  readonly runs: RunRepository;
  /** The triggers a debounced or batched run collected, superseded ones included. */
  readonly collectedTriggers: (runId: string) => Promise<readonly CollectedTrigger[]>;
  readonly secrets: {
    set(name: string, value: string): Promise<void>;
    list(): Promise<string[]>;
  };
  /** Checks a presented bearer token in constant time. */
  readonly verifyAdminToken: (token: string) => boolean;
  readonly ready: () => Promise<boolean>;
  /** The effective project, summarised for operators (never secret values). */
  readonly project: () => ProjectSummary;
  /** Puts a dead or failed run back in the queue, by default from its failed step (dead-letter replay). */
  readonly replayRun: (runId: string, options: ReplayRequestBody) => Promise<RunRecord>;
  /** Replays the dead runs matching a filter, oldest first, at most `limit`. */
  readonly replayRuns: (
    filter: Omit<RunFilter, 'limit' | 'before'>,
    options: Omit<ReplayRequestBody, 'input'>,
    limit: number,
  ) => Promise<{
    replayed: readonly string[];
    skipped: readonly { id: string; code: string; message: string }[];
  }>;
  /** Flows as operators see them: versions, pause and resume, claim-check payloads. */
  readonly flows: FlowAdmin;
  /** The gateway's effective APIs, live stats, traces and OpenAPI documents (gateway-admin.ts). */
  readonly gateway?: GatewayAdmin;
  /** Admin identities and roles, consumers, plans, OAuth, audit (identity-admin.ts). */
  readonly identity?: IdentityAdmin;
  /** The project's systems: credential health, auth kind, operations, drift (systems-admin.ts). */
  readonly systems?: SystemsAdmin;
  /** Reloading the project from its files, and how the last reload went. */
  readonly reloads?: ProjectReloads;
}

export interface ProjectReloads {
  status(): ReloadStatus;
  /** Loads the project again and applies it if every check passes (conformance specs included). */
  reload(): Promise<ReloadStatus>;
}

/** The last reload: `none` until the first one after start. */
export interface ReloadStatus {
  readonly outcome: 'none' | 'applied' | 'rejected';
  readonly at: string | null;
  /** Why it was rejected, each located in a project file (a failing spec case: its line). */
  readonly problems: readonly {
    readonly file: string;
    readonly line: number;
    readonly column: number;
    readonly rule: string;
    readonly message: string;
  }[];
  /** The conformance specs run against the changed project; null when none ran. */
  readonly conformance: {
    readonly passed: number;
    readonly failed: number;
    readonly failures: readonly {
      readonly spec: string;
      readonly file: string;
      readonly line: number;
      readonly name: string;
      readonly diffs: readonly string[];
    }[];
  } | null;
}

export interface ReplayRequestBody {
  readonly fromFailedStep?: boolean;
  readonly input?: unknown;
}

export interface FlowAdmin {
  list(): Promise<readonly { name: string; version: string; paused: boolean; pausedAt: number | null }[]>;
  versions(flow: string): Promise<readonly FlowVersionSummary[]>;
  version(flow: string, id: string): Promise<FlowVersionRecord | undefined>;
  /** True when this call paused it (false: it was paused already). ENGINE_FLOW_NOT_FOUND for unknown flows. */
  pause(flow: string, reason: string | null): Promise<boolean>;
  resume(flow: string): Promise<boolean>;
  /** A claim-check payload's JSON value; undefined when unknown. */
  payload(id: string): Promise<unknown>;
}

export type FlowVersionSummary = Omit<FlowVersionRecord, 'definition'>;

export interface ProjectSummary {
  readonly name: string;
  readonly environment: string;
  readonly systems: readonly { name: string; baseUrl: string; operations: number }[];
  readonly apis: readonly {
    name: string;
    basePath: string;
    visibility: string;
    routes: readonly { method: string; path: string; target: string }[];
  }[];
  readonly flows: readonly {
    name: string;
    version: string;
    triggers: readonly string[];
    steps: readonly string[];
  }[];
}
