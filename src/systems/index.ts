export { type ConnectFlow, startConnectFlow } from './auth/connect-flow.ts';
export {
  type ConnectionEvent,
  type ConnectionHealth,
  type ConnectionHealthTracker,
  type ConnectionState,
  createConnectionHealth,
} from './auth/connection-health.ts';
export { type CredentialWatch, createCredentialWatch } from './auth/credential-watch.ts';
export { hmacSignature } from './auth/hmac-signature.ts';
export { createLocalTokenLock, createRedisTokenLock, type TokenLock } from './auth/token-lock.ts';
export {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
  type TokenVault,
  tokenSecretNames,
} from './auth/token-manager.ts';
export type { BudgetBackend, TakeResult } from './budget/budget-backend.ts';
export { createMemoryBudgetBackend } from './budget/memory-backend.ts';
export { quotaHeaders } from './budget/pause-after.ts';
export { createRedisBudgetBackend, type RedisBudgetOptions } from './budget/redis-backend.ts';
export { createStoreBudgetBackend } from './budget/store-backend.ts';
export type { BudgetAnswer, BudgetLease, SystemBudget } from './budget/system-budget.ts';
export {
  createUpstreamBudgets,
  type UpstreamBudgets,
  type UpstreamBudgetsOptions,
} from './budget/upstream-budgets.ts';
export {
  type CredentialContext,
  type Credentials,
  resolveCredentials,
} from './caller/resolve-credentials.ts';
export { createSystemCaller, type SystemCallerOptions } from './caller/system-caller.ts';
export { type ConnectionPauses, createConnectionPauses } from './connections/connection-pauses.ts';
export { flowsUsingSystem } from './connections/flows-using-system.ts';
export { loadSystemDescription } from './description/load-system-description.ts';
export { type DriftFinding, type DriftKind, detectDrift } from './drift/detect-drift.ts';
export {
  createDriftRecorder,
  type DriftEntry,
  type DriftRecorder,
  type OperationDrift,
} from './drift/drift-recorder.ts';
export { type OutcomeIssue, operationOutcomeError } from './fhir/operation-outcome.ts';
export { type AddSystemOptions, type AddSystemResult, addSystem } from './import/add-system.ts';
export { type MockServer, type MockServerOptions, startMockServer } from './mock/mock-server.ts';
export {
  nextLink,
  type Page,
  type PaginateOptions,
  pages,
  paginate,
  paginationOf,
  readPath,
} from './pagination/index.ts';
export type {
  CallOptions,
  ChannelBinding,
  Operation,
  OperationParameter,
  OperationResponse,
  PaginationStyle,
  SystemCaller,
  SystemDescription,
  SystemResponse,
} from './types.ts';
