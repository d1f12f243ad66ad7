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
  AUTH_TOKEN_MISSING: { status: 401, kind: 'user', title: 'A bearer access token is required' },
  AUTH_TOKEN_INVALID: { status: 401, kind: 'user', title: 'The access token is not valid' },
  AUTH_SCOPE_INSUFFICIENT: {
    status: 403,
    kind: 'user',
    title: 'The credential lacks a scope this route requires',
  },
  AUTH_CONSUMER_NOT_FOUND: { status: 404, kind: 'user', title: 'No consumer of that name' },
  AUTH_CONSUMER_EXISTS: { status: 409, kind: 'user', title: 'A consumer of that name exists already' },
  AUTH_PLAN_NOT_FOUND: { status: 404, kind: 'user', title: 'No plan of that name' },
  AUTH_PLAN_EXISTS: { status: 409, kind: 'user', title: 'A plan of that name exists already' },
  AUTH_SCOPE_TOO_WIDE: {
    status: 400,
    kind: 'user',
    title: 'A credential asked for scopes its consumer does not have',
  },
  AUTH_KEY_NOT_FOUND: { status: 404, kind: 'user', title: 'No active API key with that id' },
  AUTH_OAUTH_CLIENT_NOT_FOUND: { status: 404, kind: 'user', title: 'No OAuth client with that id' },
  AUTH_OAUTH_CLIENT_INVALID: {
    status: 400,
    kind: 'user',
    title: 'The OAuth client registration is not valid',
  },
  AUTH_OAUTH_UNAVAILABLE: {
    status: 503,
    kind: 'operational',
    title: 'The OAuth authorization server is not running yet',
  },
  AUTH_ADMIN_PRINCIPAL_EXISTS: {
    status: 409,
    kind: 'user',
    title: 'An admin identity of that name exists already',
  },
  AUTH_USER_EXISTS: { status: 409, kind: 'user', title: 'A user of that name exists already' },

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
  GATEWAY_CIRCUIT_OPEN: { status: 503, kind: 'operational', title: 'The circuit to the upstream is open' },
  GATEWAY_COMPOSITE_FAILED: {
    status: 502,
    kind: 'operational',
    title: 'A call of the composite route failed',
  },
  GATEWAY_CONFORMANCE_FAILED: { status: 422, kind: 'user', title: 'Conformance specs of the gateway failed' },
  GATEWAY_API_DIFF_FAILED: { status: 422, kind: 'user', title: 'The API documents cannot be compared' },
  // gateway policies (src/gateway/policies)
  GATEWAY_RATE_LIMITED: { status: 429, kind: 'user', title: 'Too many requests for the rate limit' },
  GATEWAY_QUOTA_EXCEEDED: { status: 429, kind: 'user', title: 'The quota of the period is used up' },
  GATEWAY_IP_DENIED: { status: 403, kind: 'user', title: 'The client address may not call this API' },
  GATEWAY_URI_TOO_LONG: { status: 414, kind: 'user', title: 'The request target is too long' },
  GATEWAY_HEADERS_TOO_LARGE: { status: 431, kind: 'user', title: 'The request headers are too large' },
  GATEWAY_THREAT_DETECTED: {
    status: 400,
    kind: 'user',
    title: 'The request was refused by threat protection',
  },
  GATEWAY_CORS_REJECTED: { status: 403, kind: 'user', title: 'The cross-origin request is not allowed' },
  GATEWAY_REQUEST_INVALID: { status: 400, kind: 'user', title: 'The request does not match its schema' },
  GATEWAY_TRANSFORM_FAILED: { status: 502, kind: 'operational', title: 'A message transform failed' },

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
  SYSTEM_SOAP_FAULT: { status: 502, kind: 'operational', title: 'The SOAP service answered with a fault' },
  SYSTEM_AUTH_FAILED: {
    status: 502,
    kind: 'operational',
    title: 'The system refused the configured credentials',
  },
  SYSTEM_PAGINATION_LIMIT: { status: 502, kind: 'operational', title: 'Paging stopped at its guard' },
  SYSTEM_BUDGET_EXHAUSTED: {
    status: 503,
    kind: 'operational',
    title: "The system's upstream budget had no room within the call's timeout",
  },
  SYSTEM_IMPORT_FAILED: { status: 422, kind: 'user', title: 'The system cannot be imported' },
  SYSTEM_RESPONSE_INVALID: {
    status: 502,
    kind: 'operational',
    title: 'The answer does not match the API description',
  },
  SYSTEM_FHIR_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'The FHIR server has no such resource (OperationOutcome not-found)',
  },
  SYSTEM_FHIR_INVALID: {
    status: 422,
    kind: 'user',
    title: 'The FHIR server refused the resource or search as invalid (OperationOutcome)',
  },
  SYSTEM_FHIR_CONFLICT: {
    status: 409,
    kind: 'operational',
    title: 'The FHIR server reported a conflict or duplicate (OperationOutcome)',
  },
  ADAPTER_XML_INVALID: { status: 400, kind: 'user', title: 'The XML document is not acceptable' },
  ADAPTER_BROKER_FAILED: { status: 502, kind: 'operational', title: 'The message broker refused or failed' },
  ADAPTER_FILE_INVALID: { status: 422, kind: 'user', title: 'The file cannot be read' },

  // mapping
  MAPPING_COMPILE_FAILED: { status: 422, kind: 'user', title: 'The mapping expression does not compile' },
  MAPPING_EVALUATE_FAILED: { status: 500, kind: 'user', title: 'The mapping failed on its input' },

  // engine
  ENGINE_FLOW_NOT_FOUND: { status: 404, kind: 'user', title: 'No such flow' },
  ENGINE_RUN_NOT_FOUND: { status: 404, kind: 'user', title: 'No such run' },
  ENGINE_STEP_FAILED: { status: 502, kind: 'operational', title: 'A flow step failed' },
  ENGINE_REPLAY_INVALID: { status: 409, kind: 'user', title: 'The run cannot be replayed in its state' },
  ENGINE_ARAZZO_INVALID: { status: 422, kind: 'user', title: 'The Arazzo document cannot be imported' },
  ENGINE_FLOW_TEST_INVALID: { status: 422, kind: 'user', title: 'A flow or mapping test file is not valid' },
  ENGINE_RUN_TIMEOUT: { status: 504, kind: 'operational', title: 'The run did not finish in time' },
  ENGINE_PAYLOAD_INVALID: { status: 400, kind: 'user', title: 'The trigger payload is not valid' },
  ENGINE_SCHEDULE_INVALID: {
    status: 422,
    kind: 'user',
    title: 'A schedule trigger has an invalid cron pattern or time zone',
  },
  ENGINE_FLOW_FAILED: { status: 422, kind: 'user', title: 'A fail step ended the run with a typed error' },
  ENGINE_WAIT_TIMEOUT: {
    status: 504,
    kind: 'operational',
    title: 'A wait step timed out before its event or callback arrived',
  },
  ENGINE_SUBFLOW_FAILED: { status: 502, kind: 'operational', title: 'A sub-flow run did not succeed' },
  ENGINE_HTTP_BLOCKED: {
    status: 403,
    kind: 'user',
    title: 'An http step targeted a private, loopback or link-local address that is not allowed',
  },
  ENGINE_STEP_INPUT_INVALID: {
    status: 422,
    kind: 'user',
    title: 'A step expression gave a value of the wrong shape',
  },
  ENGINE_WEBHOOK_SIGNATURE_INVALID: {
    status: 401,
    kind: 'user',
    title: 'The webhook signature is missing or does not verify',
  },
  ENGINE_WEBHOOK_REPLAYED: {
    status: 409,
    kind: 'user',
    title: 'The webhook was already received (replay refused)',
  },
  ENGINE_WEBHOOK_SECRET_MISSING: {
    status: 500,
    kind: 'operational',
    title: 'The vault has no secret of the name a webhook trigger names',
  },

  // admin API and generic HTTP edges
  ADMIN_FORBIDDEN: { status: 403, kind: 'user', title: 'Not allowed' },
  HTTP_BAD_REQUEST: { status: 400, kind: 'user', title: 'The request is malformed' },
  HTTP_NOT_FOUND: { status: 404, kind: 'user', title: 'Not found' },
  HTTP_PAYLOAD_TOO_LARGE: { status: 413, kind: 'user', title: 'The request body is too large' },
  INTERNAL: { status: 500, kind: 'unexpected', title: 'Internal error' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalogue;
