export type { AuditFilter, AuditRecord, AuditRepository } from './audit-types.ts';
export type { BudgetChange, BudgetRecord, UpstreamBudgetRepository } from './budget-types.ts';
export type { ConnectionPauseRecord, ConnectionPauseRepository } from './connection-pause-types.ts';
export { createStore } from './create-store.ts';
export type { EngineStateRepository, EventRecord, SlotMode, WaitRecord } from './engine-state-types.ts';
export {
  type CollectedStatus,
  type CollectedTrigger,
  type CollectKind,
  type CollectRequest,
  type CollectResult,
  collectingKind,
  type FlowControlRepository,
} from './flow-control-types.ts';
export type {
  FlowPauseRecord,
  FlowPauseRepository,
  FlowVersionRecord,
  FlowVersionRepository,
  PayloadRepository,
  QueueStats,
  ReplayRequest,
  RunMaintenanceRepository,
} from './history-types.ts';
export type {
  AdminPrincipalRecord,
  AdminPrincipalRepository,
  AdminRole,
  ConsumerContact,
  ConsumerKind,
  ConsumerPatch,
  ConsumerRecord,
  ConsumerRepository,
  OAuthClientRecord,
  OAuthModelRecord,
  OAuthRepository,
  OAuthRevocation,
  OAuthRevocationRef,
  OAuthUserRecord,
  PlanPatch,
  PlanRecord,
  PlanRepository,
  QuotaSetting,
  RateLimitSetting,
} from './identity-types.ts';
export type { QuotaIncrement, QuotaRepository } from './quota-types.ts';
export type {
  ApiKeyRecord,
  ApiKeyRepository,
  Dialect,
  RunFilter,
  RunRecord,
  RunRepository,
  RunStatus,
  ScheduleRepository,
  SecretEnvelope,
  SecretRepository,
  StepRecord,
  StepStatus,
  Store,
  StoreOptions,
} from './types.ts';
