import type { FastifyInstance } from 'fastify';
import { ConfluxError } from '../../errors/index.ts';
import type { AdminDependencies } from '../ports.ts';

const anyObject = { type: 'object', additionalProperties: true } as const;

/** The gateway as operators see it: effective APIs, live stats, request traces, OpenAPI documents. */
export function registerGatewayRoutes(app: FastifyInstance, deps: AdminDependencies): void {
  const gateway = deps.gateway;
  if (gateway === undefined) return;

  app.get(
    '/api/v1/apis',
    {
      schema: {
        operationId: 'listApis',
        summary:
          'Effective configuration of every API: versions, hosts, visibility, routes with targets and policies',
        tags: ['gateway'],
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: anyObject } } } },
      },
    },
    () => ({ items: gateway.apis() }),
  );

  app.get<{ Params: { name: string } }>(
    '/api/v1/apis/:name/stats',
    {
      schema: {
        operationId: 'getApiStats',
        summary: 'Live numbers per route over a rolling window: counts, status classes, latency percentiles',
        tags: ['gateway'],
        params: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        response: { 200: anyObject },
      },
    },
    (request) => {
      const stats = gateway.stats(request.params.name);
      if (stats === undefined)
        throw new ConfluxError('HTTP_NOT_FOUND', `No API named ${request.params.name}.`);
      return { api: request.params.name, ...stats };
    },
  );

  app.get<{ Params: { name: string }; Querystring: { version?: string } }>(
    '/api/v1/apis/:name/openapi.json',
    {
      schema: {
        operationId: 'getApiOpenApi',
        summary: 'The OpenAPI 3.1 document the gateway publishes for an API version',
        tags: ['gateway'],
        params: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        querystring: { type: 'object', properties: { version: { type: 'string' } } },
        response: { 200: anyObject },
      },
    },
    (request) => {
      const document = gateway.openapi(request.params.name, request.query.version);
      if (document === undefined) {
        throw new ConfluxError(
          'HTTP_NOT_FOUND',
          `No API named ${request.params.name}${request.query.version === undefined ? '' : ` with version ${request.query.version}`}.`,
        );
      }
      return document;
    },
  );

  app.get<{ Params: { correlationId: string } }>(
    '/api/v1/traces/:correlationId',
    {
      schema: {
        operationId: 'getTrace',
        summary:
          'The policy trace of a recent gateway request: policies run, decisions, timings, target timing',
        tags: ['gateway'],
        params: {
          type: 'object',
          required: ['correlationId'],
          properties: { correlationId: { type: 'string' } },
        },
        response: { 200: anyObject },
      },
    },
    (request) => {
      const trace = gateway.trace(request.params.correlationId);
      if (trace === undefined) {
        throw new ConfluxError(
          'HTTP_NOT_FOUND',
          `No recent request with correlation id ${request.params.correlationId} (traces keep the last requests only).`,
        );
      }
      return trace;
    },
  );
}
