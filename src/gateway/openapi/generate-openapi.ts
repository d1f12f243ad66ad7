import type { ApiDefinition, JsonSchema, RouteDefinition } from '../../project/index.ts';
import type { Operation } from '../../systems/index.ts';
import { parseParamSegment } from '../router.ts';

export interface OpenApiSources {
  /** The operation as the system's description states it, for parameter and body schemas. */
  describe(system: string, operation: string): Operation | undefined;
}

type Json = Record<string, unknown>;

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const PROBLEM_RESPONSES: Record<string, string> = {
  '404': 'No route matches (also what a consumer gets for an API it may not see)',
  '405': 'The path exists, not with this method',
};
const TYPE_SCHEMAS: Record<string, Json> = {
  int: { type: 'integer' },
  number: { type: 'number' },
  uuid: { type: 'string', format: 'uuid' },
  alpha: { type: 'string', pattern: '^[A-Za-z]+$' },
};

/**
 * The OpenAPI 3.1 document of one API version, generated from the configuration: every route of
 * the version with its path parameters (typed from `{id:int}` or the operation's schema), query
 * parameters, request body and responses from the system operation it targets, the security
 * scheme, rate-limit headers when a rate limit applies, and problem+json error responses.
 */
export function generateOpenApi(
  api: ApiDefinition,
  version: string | undefined,
  sources: OpenApiSources,
): Json {
  const versionDef = api.versioning?.versions.find((candidate) => candidate.name === version);
  const prefix =
    api.versioning?.scheme === 'uri' && version !== undefined ? `${api.basePath}/${version}` : api.basePath;
  const paths: Record<string, Json> = {};
  const usedIds = new Set<string>();
  for (const route of api.routes) {
    if (version !== undefined && route.versions !== undefined && !route.versions.includes(version)) continue;
    const path = toOpenApiPath(`${prefix}${route.path}`.replace(/(.)\/$/, '$1') || '/');
    const item = paths[path] ?? {};
    paths[path] = item;
    item[route.method.toLowerCase()] = operationFor(
      api,
      route,
      path,
      sources,
      usedIds,
      versionDef?.deprecated !== undefined,
    );
  }
  if (api.registration !== undefined) {
    const path = toOpenApiPath(`${api.basePath}${api.registration.path}`);
    paths[path] = { ...(paths[path] ?? {}), post: registrationOperation(api.registration.plan, usedIds) };
  }
  const document: Json = {
    openapi: '3.1.0',
    info: {
      title: api.name,
      version: version ?? '1',
      ...(api.description === undefined ? {} : { description: api.description }),
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Problem: problemSchema() },
      ...(api.auth.type === 'apiKey'
        ? { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: api.auth.header } } }
        : {}),
    },
  };
  if (api.auth.type === 'apiKey') document.security = [{ apiKey: [] }];
  return document;
}

function operationFor(
  api: ApiDefinition,
  route: RouteDefinition,
  path: string,
  sources: OpenApiSources,
  usedIds: Set<string>,
  deprecated: boolean,
): Json {
  const target = route.target;
  const upstream =
    target.kind === 'operation' || target.kind === 'mock'
      ? sources.describe(target.system, target.operation)
      : undefined;
  const parameters: Json[] = [];
  for (const segment of route.path.split('/')) {
    const param = parseParamSegment(segment);
    if (param === undefined) continue;
    const declared = upstream?.parameters.find((p) => p.in === 'path' && p.name === param.name)?.schema;
    parameters.push({
      name: param.name,
      in: 'path',
      required: true,
      schema: TYPE_SCHEMAS[param.type] ?? declared ?? { type: 'string' },
    });
  }
  for (const p of upstream?.parameters ?? []) {
    if (p.in !== 'query') continue;
    parameters.push({ name: p.name, in: 'query', required: p.required, schema: schemaOf(p.schema) });
  }
  if (api.versioning?.scheme === 'header') {
    parameters.push({
      name: headerName(api.versioning.header),
      in: 'header',
      required: false,
      schema: { type: 'string' },
    });
  }
  const operation: Json = {
    operationId: uniqueId(
      target.kind === 'operation' ? target.operation : `${route.method.toLowerCase()}${path}`,
      usedIds,
    ),
    ...(route.description === undefined
      ? upstream?.summary === undefined
        ? {}
        : { summary: upstream.summary }
      : { summary: route.description }),
    ...(deprecated ? { deprecated: true } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    responses: responsesFor(api, route, upstream),
  };
  if (upstream?.requestBody !== undefined) {
    operation.requestBody = {
      required: upstream.requestBody.required,
      content: { [upstream.requestBody.contentType]: { schema: schemaOf(upstream.requestBody.schema) } },
    };
  } else if (
    ['POST', 'PUT', 'PATCH'].includes(route.method) &&
    target.kind !== 'operation' &&
    target.kind !== 'mock'
  ) {
    operation.requestBody = { required: false, content: { 'application/json': { schema: {} } } };
  }
  return operation;
}

function responsesFor(api: ApiDefinition, route: RouteDefinition, upstream: Operation | undefined): Json {
  const responses: Json = {};
  const rateLimited = (route.policies.rateLimit ?? api.policies.rateLimit) !== undefined;
  const successHeaders = rateLimited
    ? {
        headers: {
          RateLimit: {
            description: 'Remaining quota of the window (IETF draft-ietf-httpapi-ratelimit-headers)',
            schema: { type: 'string' },
          },
          'RateLimit-Policy': { description: 'The limit that applies', schema: { type: 'string' } },
        },
      }
    : {};
  for (const response of upstream?.responses ?? []) {
    if (!/^[1-5](\d\d|XX)$/.test(response.status)) continue;
    const content =
      response.schema === undefined
        ? {}
        : {
            content: { [response.contentType ?? 'application/json']: { schema: schemaOf(response.schema) } },
          };
    responses[response.status] = {
      description: `HTTP ${response.status}`,
      ...content,
      ...(response.status.startsWith('2') ? successHeaders : {}),
    };
  }
  if (!Object.keys(responses).some((status) => status.startsWith('2'))) {
    responses['200'] = {
      description: 'Success',
      content: { 'application/json': { schema: {} } },
      ...successHeaders,
    };
  }
  const problems: Record<string, string> = { ...PROBLEM_RESPONSES };
  if (api.auth.type === 'apiKey')
    problems['401'] = 'Missing or invalid credentials (the problem names the policy)';
  if (rateLimited) problems['429'] = 'Rate limit or quota exceeded; see Retry-After';
  if (route.target.kind !== 'flow') {
    problems['502'] = 'The upstream is unreachable or failed';
    problems['503'] = 'The circuit to the upstream is open';
    problems['504'] = 'The upstream timed out';
  }
  for (const [status, description] of Object.entries(problems)) {
    if (responses[status] !== undefined) continue;
    responses[status] = { description, content: { 'application/problem+json': { schema: PROBLEM_REF } } };
  }
  return responses;
}

/**
 * Self-service registration (a public API's `registration`): no credential, so it overrides the
 * document's security; the key is in the 201 answer only.
 */
function registrationOperation(plan: string, usedIds: Set<string>): Json {
  const problem = (description: string): Json => ({
    description,
    content: { 'application/problem+json': { schema: PROBLEM_REF } },
  });
  return {
    operationId: uniqueId('register', usedIds),
    summary: `Register an application: a key on the ${plan} plan, shown once`,
    security: [],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['application', 'email'],
            properties: {
              application: { type: 'string', pattern: '^[A-Za-z0-9][\\w .-]{0,62}$' },
              email: { type: 'string', format: 'email', maxLength: 254 },
            },
          },
        },
      },
    },
    responses: {
      '201': {
        description: 'Registered; store the key now, it is not shown again',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['consumer', 'plan', 'apis', 'key', 'keyPrefix'],
              properties: {
                consumer: { type: 'string' },
                plan: { type: 'string' },
                apis: { type: 'array', items: { type: 'string' } },
                key: { type: 'string' },
                keyPrefix: { type: 'string' },
              },
            },
          },
        },
      },
      '400': problem('The registration names each invalid field'),
      '429': problem('Too many registrations from this address; see Retry-After'),
    },
  };
}

/** `{id:int}` → `{id}`. */
function toOpenApiPath(template: string): string {
  return template.replace(/\{([^}:]+)(?::[^}]*)?\}/g, '{$1}');
}

function uniqueId(base: string, used: Set<string>): string {
  const cleaned = base.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '') || 'operation';
  let id = cleaned;
  for (let n = 2; used.has(id); n++) id = `${cleaned}_${n}`;
  used.add(id);
  return id;
}

function headerName(lower: string): string {
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

function schemaOf(schema: JsonSchema | undefined): JsonSchema {
  return schema ?? {};
}

function problemSchema(): Json {
  return {
    type: 'object',
    description: 'RFC 9457 problem details',
    required: ['type', 'title', 'status', 'code'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      code: { type: 'string' },
      policy: { type: 'string', description: 'The gateway policy that rejected the request' },
      correlationId: { type: 'string' },
      instance: { type: 'string' },
    },
  };
}
