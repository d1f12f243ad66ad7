import type { ApiKeyService } from '../identity/index.ts';
import type { Logger, Metrics } from '../observability/index.ts';
import type { RunRepository } from '../store/index.ts';

/** What the admin API needs, wired by the composition root. */
export interface AdminDependencies {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly keys: ApiKeyService;
  readonly runs: RunRepository;
  readonly secrets: {
    set(name: string, value: string): Promise<void>;
    list(): Promise<string[]>;
  };
  /** Checks a presented bearer token in constant time. */
  readonly verifyAdminToken: (token: string) => boolean;
  readonly ready: () => Promise<boolean>;
  /** The effective project, summarised for operators (never secret values). */
  readonly project: () => ProjectSummary;
  /** Replays a finished run's input as a new run of the same flow. */
  readonly replayRun: (runId: string, correlationId: string) => Promise<{ runId: string }>;
}

export interface ProjectSummary {
  readonly name: string;
  readonly environment: string;
  readonly systems: readonly { name: string; baseUrl: string; operations: number }[];
  readonly apis: readonly { name: string; basePath: string; visibility: string; routes: readonly { method: string; path: string; target: string }[] }[];
  readonly flows: readonly { name: string; version: string; triggers: readonly string[]; steps: readonly string[] }[];
}
