export { type Credentials, resolveCredentials } from './caller/resolve-credentials.ts';
export { createSystemCaller, type SystemCallerOptions } from './caller/system-caller.ts';
export { loadSystemDescription } from './description/load-system-description.ts';
export { type MockServer, type MockServerOptions, startMockServer } from './mock/mock-server.ts';
export type {
  CallOptions,
  Operation,
  OperationParameter,
  OperationResponse,
  SystemCaller,
  SystemDescription,
  SystemResponse,
} from './types.ts';
