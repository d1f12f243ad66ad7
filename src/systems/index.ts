export type {
  CallOptions,
  Operation,
  OperationParameter,
  OperationResponse,
  SystemCaller,
  SystemDescription,
  SystemResponse,
} from './types.ts';
export { loadSystemDescription } from './description/load-system-description.ts';
export { type MockServer, type MockServerOptions, startMockServer } from './mock/mock-server.ts';
export { createSystemCaller, type SystemCallerOptions } from './caller/system-caller.ts';
export { type Credentials, resolveCredentials } from './caller/resolve-credentials.ts';
