/**
 * Kysely's view of the tables, the one place that names columns and their JS types. Column
 * names are snake_case as in SQL; repositories map rows to the camelCase records of types.ts.
 *
 * JSON columns are `text` on SQLite and `jsonb` on PostgreSQL; both reach us as JSON text (the
 * PostgreSQL pool is told not to parse jsonb) so one codec serves both dialects. Timestamps are
 * epoch milliseconds (`bigint`, read back as numbers).
 */
import type { Generated } from 'kysely';
import type { AuditEventsTable } from './audit-types.ts';
import type { UpstreamBudgetSlotsTable, UpstreamBudgetsTable } from './budget-types.ts';
import type { ConnectionPausesTable } from './connection-pause-types.ts';
import type {
  EngineDedupTable,
  EngineEventsTable,
  EngineKvTable,
  EngineRatesTable,
  EngineSlotsTable,
  EngineWaitsTable,
} from './engine-state-tables.ts';
import type { FlowControlKeysTable, FlowControlTriggersTable } from './flow-control-types.ts';
import type { FlowPausesTable, FlowVersionsTable, PayloadsTable } from './history-tables.ts';
import type {
  AdminPrincipalsTable,
  ConsumersTable,
  OAuthClientsTable,
  OAuthModelsTable,
  OAuthRevocationsTable,
  OAuthUsersTable,
  PlansTable,
} from './identity-types.ts';
import type { QuotaCountersTable } from './quota-types.ts';

/** JSON encoded as text: written with JSON.stringify, read with JSON.parse (see json-column.ts). */
export type JsonText = string;

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface ApiKeysTable {
  id: string;
  consumer: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: JsonText;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  /** Rotation: the key that replaced this one, and the key this one replaced. */
  replaced_by: string | null;
  replaces: string | null;
}

export interface SecretsTable {
  name: string;
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  wrapped_key: Buffer;
  kek_id: string;
  updated_at: number;
}

export interface RunsTable {
  id: string;
  flow: string;
  flow_version: string;
  status: string;
  trigger_type: string;
  input: JsonText | null;
  output: JsonText | null;
  error: JsonText | null;
  correlation_id: string;
  attempts: Generated<number>;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  available_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  /** Claim order among due runs, highest first (flow control `priority`). */
  priority: Generated<number>;
  /** How often the run was replayed; steps executed after the n-th replay use a fresh idempotency scope. */
  replays: Generated<number>;
}

export interface StepsTable {
  run_id: string;
  step_id: string;
  status: string;
  input: JsonText | null;
  output: JsonText | null;
  error: JsonText | null;
  attempts: number;
  started_at: number;
  finished_at: number;
}

export interface ScheduleFiresTable {
  schedule_key: string;
  fire_at: number;
  claimed_at: number;
}

export interface Database {
  conflux_migrations: MigrationsTable;
  api_keys: ApiKeysTable;
  secrets: SecretsTable;
  runs: RunsTable;
  steps: StepsTable;
  schedule_fires: ScheduleFiresTable;
  engine_waits: EngineWaitsTable;
  engine_dedup: EngineDedupTable;
  engine_kv: EngineKvTable;
  engine_slots: EngineSlotsTable;
  engine_rates: EngineRatesTable;
  engine_events: EngineEventsTable;
  quota_counters: QuotaCountersTable;
  audit_events: AuditEventsTable;
  flow_versions: FlowVersionsTable;
  payloads: PayloadsTable;
  flow_pauses: FlowPausesTable;
  consumers: ConsumersTable;
  plans: PlansTable;
  oauth_clients: OAuthClientsTable;
  oauth_users: OAuthUsersTable;
  oauth_models: OAuthModelsTable;
  oauth_revocations: OAuthRevocationsTable;
  admin_principals: AdminPrincipalsTable;
  upstream_budgets: UpstreamBudgetsTable;
  upstream_budget_slots: UpstreamBudgetSlotsTable;
  flow_control_triggers: FlowControlTriggersTable;
  flow_control_keys: FlowControlKeysTable;
  connection_pauses: ConnectionPausesTable;
}
