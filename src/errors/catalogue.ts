/**
 * The one catalogue of error codes. Every error Conflux raises carries one of these codes;
 * docs/errors.md documents each (a test keeps the two in step). A code is stable once
 * released: clients branch on it, so rename nothing and add new codes instead.
 *
 * kind decides who must act and so the log level:
 *   user         the caller or the project author sent something wrong (logged at info)
 *   operational  a transient condition outside our control (logged at warn)
 *   unexpected   a bug or an invariant broken (logged at error)
 */
export type ErrorKind = 'user' | 'operational' | 'unexpected';

export interface ErrorSpec {
  readonly status: number;
  readonly kind: ErrorKind;
  readonly title: string;
}

export const errorCatalogue = {
  // project files and configuration
  PROJECT_INVALID: { status: 422, kind: 'user', title: 'The project has errors' },
  PROJECT_NOT_FOUND: { status: 404, kind: 'user', title: 'No project at that path' },
  PROJECT_EXISTS: { status: 409, kind: 'user', title: 'A project already exists at that path' },
  CONFIG_INVALID: { status: 500, kind: 'user', title: 'Invalid environment configuration' },

  // store
  STORE_UNAVAILABLE: { status: 503, kind: 'operational', title: 'The store is unreachable' },
  STORE_CONFLICT: { status: 409, kind: 'user', title: 'The record already exists' },
  STORE_NOT_FOUND: { status: 404, kind: 'user', title: 'No such record' },
  STORE_MIGRATION_FAILED: { status: 500, kind: 'unexpected', title: 'A store migration failed' },
  STORE_CURSOR_INVALID: { status: 400, kind: 'user', title: 'The paging cursor is not valid' },

  // secrets
  SECRET_NOT_FOUND: { status: 404, kind: 'user', title: 'No secret with that name' },
  SECRET_NAME_INVALID: { status: 400, kind: 'user', title: 'The secret name is not valid' },
  SECRET_KEY_INVALID: { status: 500, kind: 'user', title: 'The key-encryption key is invalid' },
  SECRET_DECRYPT_FAILED: {
    status: 500,
    kind: 'unexpected',
    title: 'A secret could not be decrypted with the key-encryption key',
  },

  // identity
  AUTH_KEY_MISSING: { status: 401, kind: 'user', title: 'An API key is required' },
  AUTH_KEY_INVALID: { status: 401, kind: 'user', title: 'The API key is not valid' },
  AUTH_ADMIN_REQUIRED: { status: 401, kind: 'user', title: 'An admin token is required' },

  // gateway
  GATEWAY_ROUTE_NOT_FOUND: { status: 404, kind: 'user', title: 'No route matches the request' },
  GATEWAY_METHOD_NOT_ALLOWED: { status: 405, kind: 'user', title: 'Method not allowed on this route' },
  GATEWAY_UPSTREAM_TIMEOUT: { status: 504, kind: 'operational', title: 'The upstream system timed out' },
  GATEWAY_UPSTREAM_UNREACHABLE: {
    status: 502,
    kind: 'operational',
    title: 'The upstream system is unreachable',
  },
  GATEWAY_BODY_INVALID: { status: 400, kind: 'user', title: 'The request body is not valid' },
  GATEWAY_UPSTREAM_CREDENTIALS_MISSING: {
    status: 502,
    kind: 'user',
    title: 'The credentials for the upstream system are not configured',
  },
  GATEWAY_SHUTTING_DOWN: { status: 503, kind: 'operational', title: 'The gateway is shutting down' },

  // systems and mocks
  SYSTEM_NOT_FOUND: { status: 404, kind: 'user', title: 'No such system' },
  SYSTEM_OPERATION_NOT_FOUND: { status: 404, kind: 'user', title: 'No such operation on the system' },
  SYSTEM_DESCRIPTION_INVALID: { status: 422, kind: 'user', title: 'The API description cannot be read' },
  SYSTEM_CALL_FAILED: { status: 502, kind: 'operational', title: 'The system answered with an error' },
  SYSTEM_REQUEST_INVALID: { status: 400, kind: 'user', title: 'The request does not match the operation' },
  SYSTEM_TIMEOUT: { status: 504, kind: 'operational', title: 'The system did not answer in time' },
  SYSTEM_UNREACHABLE: { status: 502, kind: 'operational', title: 'The system cannot be reached' },
  MOCK_NOT_FOUND: { status: 404, kind: 'user', title: 'No operation matches the request' },
  MOCK_METHOD_NOT_ALLOWED: { status: 405, kind: 'user', title: 'The path has no operation for this method' },
  MOCK_REQUEST_INVALID: { status: 400, kind: 'user', title: 'The request does not match the operation' },

  // mapping
  MAPPING_COMPILE_FAILED: { status: 422, kind: 'user', title: 'The mapping expression does not compile' },
  MAPPING_EVALUATE_FAILED: { status: 500, kind: 'user', title: 'The mapping failed on its input' },

  // engine
  ENGINE_FLOW_NOT_FOUND: { status: 404, kind: 'user', title: 'No such flow' },
  ENGINE_RUN_NOT_FOUND: { status: 404, kind: 'user', title: 'No such run' },
  ENGINE_STEP_FAILED: { status: 502, kind: 'operational', title: 'A flow step failed' },
  ENGINE_RUN_TIMEOUT: { status: 504, kind: 'operational', title: 'The run did not finish in time' },
  ENGINE_PAYLOAD_INVALID: { status: 400, kind: 'user', title: 'The trigger payload is not valid' },
  ENGINE_SCHEDULE_INVALID: {
    status: 422,
    kind: 'user',
    title: 'A schedule trigger has an invalid cron pattern or time zone',
  },

  // admin API and generic HTTP edges
  ADMIN_FORBIDDEN: { status: 403, kind: 'user', title: 'Not allowed' },
  HTTP_BAD_REQUEST: { status: 400, kind: 'user', title: 'The request is malformed' },
  HTTP_NOT_FOUND: { status: 404, kind: 'user', title: 'Not found' },
  HTTP_PAYLOAD_TOO_LARGE: { status: 413, kind: 'user', title: 'The request body is too large' },
  INTERNAL: { status: 500, kind: 'unexpected', title: 'Internal error' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalogue;
