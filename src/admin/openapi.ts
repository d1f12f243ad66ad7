import type { FastifyInstance, RouteOptions } from 'fastify';
import { rolesOf } from './admin-access.ts';

/**
 * The admin API describes itself: every route registered with a schema lands in the
 * OpenAPI 3.1 document, so the document cannot drift from the routes that serve it.
 */
export function collectOpenApi(app: FastifyInstance, info: { title: string; version: string }): () => object {
  const paths: Record<string, Record<string, object>> = {};
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as (Record<string, unknown> & { hide?: boolean }) | undefined;
    if (schema === undefined || schema.hide === true || !route.url.startsWith('/api/')) return;
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      paths[path] ??= {};
      // x-roles: who may call it, as the admin access hook enforces it (admin-access.ts).
      (paths[path] as Record<string, object>)[method.toLowerCase()] = {
        ...operationOf(schema),
        'x-roles': rolesOf(method, route.config as { roles?: readonly string[] } | undefined),
      };
    }
  });
  return () => ({
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
    security: [{ adminToken: [] }],
    paths,
  });
}

function operationOf(schema: Record<string, unknown>): object {
  const parameters: object[] = [];
  for (const [location, key] of [
    ['path', 'params'],
    ['query', 'querystring'],
  ] as const) {
    const group = schema[key] as { properties?: Record<string, object>; required?: string[] } | undefined;
    for (const [name, property] of Object.entries(group?.properties ?? {})) {
      parameters.push({
        name,
        in: location,
        required: location === 'path' || (group?.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  const responses: Record<string, object> = {};
  for (const [status, body] of Object.entries(
    (schema.response as Record<string, object> | undefined) ?? {},
  )) {
    responses[status] = { description: status, content: { 'application/json': { schema: body } } };
  }
  responses.default = {
    description: 'An error (RFC 9457 problem details)',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  return {
    operationId: schema.operationId,
    summary: schema.summary,
    tags: schema.tags,
    parameters,
    ...(schema.body === undefined
      ? {}
      : { requestBody: { required: true, content: { 'application/json': { schema: schema.body } } } }),
    responses,
  };
}

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    correlationId: { type: 'string' },
  },
};

declare module 'fastify/types/schema.js' {
  interface FastifySchema {
    /** Stable name of the operation in the admin OpenAPI document. */
    operationId?: string;
    summary?: string;
    tags?: string[];
    /** Keeps a route out of the document. */
    hide?: boolean;
  }
}
