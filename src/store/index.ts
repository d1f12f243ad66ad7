export type { AuditFilter, AuditRecord, AuditRepository } from './audit-types.ts';
export { createStore } from './create-store.ts';
export type { EngineStateRepository, EventRecord, SlotMode, WaitRecord } from './engine-state-types.ts';
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
