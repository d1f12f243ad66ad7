export { type ConnectFlow, startConnectFlow } from './auth/connect-flow.ts';
export {
  type ConnectionEvent,
  type ConnectionHealth,
  type ConnectionHealthTracker,
  type ConnectionState,
  createConnectionHealth,
} from './auth/connection-health.ts';
export { hmacSignature } from './auth/hmac-signature.ts';
export { createLocalTokenLock, createRedisTokenLock, type TokenLock } from './auth/token-lock.ts';
export {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
  type TokenVault,
  tokenSecretNames,
} from './auth/token-manager.ts';
export {
  type CredentialContext,
  type Credentials,
  resolveCredentials,
} from './caller/resolve-credentials.ts';
export { createSystemCaller, type SystemCallerOptions } from './caller/system-caller.ts';
export { loadSystemDescription } from './description/load-system-description.ts';
export { type DriftFinding, type DriftKind, detectDrift } from './drift/detect-drift.ts';
export {
  createDriftRecorder,
  type DriftEntry,
  type DriftRecorder,
  type OperationDrift,
} from './drift/drift-recorder.ts';
export { type AddSystemOptions, type AddSystemResult, addSystem } from './import/add-system.ts';
export { type MockServer, type MockServerOptions, startMockServer } from './mock/mock-server.ts';
export { nextLink, type PaginateOptions, paginate, readPath } from './pagination/index.ts';
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
