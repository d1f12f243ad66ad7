import type { FastifyInstance } from 'fastify';
import { ConfluxError } from '../../errors/index.ts';
import { ROLES } from '../../identity/index.ts';
import type { AdminDependencies } from '../ports.ts';

const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' } },
} as const;

const health = {
  type: 'object',
  required: ['state', 'since'],
  properties: {
    state: { enum: ['ok', 'expiring', 'invalid', 'unknown'] },
    reason: { type: 'string' },
    since: { type: 'string', format: 'date-time' },
  },
} as const;

const summaryProperties = {
  name: { type: 'string' },
  description: { type: 'string' },
  kind: { enum: ['openapi', 'asyncapi', 'wsdl', 'fhir'] },
  baseUrl: { type: 'string' },
  auth: { type: 'string', description: 'The auth kind only; secrets and their names are never shown' },
  operations: { type: 'integer' },
  health,
} as const;

const summary = {
  type: 'object',
  required: ['name', 'kind', 'baseUrl', 'auth', 'operations', 'health'],
  properties: summaryProperties,
} as const;

const detail = {
  type: 'object',
  required: [...summary.required, 'pausedFlows', 'drift'],
  properties: {
    ...summaryProperties,
    pausedFlows: { type: 'array', items: { type: 'string' } },
    drift: {
      type: 'object',
      properties: { operations: { type: 'integer' }, drifted: { type: 'integer' } },
    },
  },
} as const;

const driftReport = {
  type: 'object',
  required: ['system', 'operations'],
  properties: {
    system: { type: 'string' },
    operations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['operation', 'drifted', 'checked', 'findings'],
        properties: {
          operation: { type: 'string' },
          drifted: { type: 'integer' },
          checked: { type: 'integer' },
          findings: {
            type: 'array',
            items: {
              type: 'object',
              required: ['pointer', 'kind', 'count', 'firstSeen', 'lastSeen'],
              properties: {
                pointer: { type: 'string', description: 'JSON pointer into the answer' },
                kind: { enum: ['new', 'missing', 'retyped'] },
                count: { type: 'integer' },
                sample: { description: 'The first offending value seen (redacted like run data)' },
                expected: { type: 'string' },
                firstSeen: { type: 'string', format: 'date-time' },
                lastSeen: { type: 'string', format: 'date-time' },
              },
            },
          },
        },
      },
    },
  },
} as const;

function unknownSystem(name: string): ConfluxError {
  return new ConfluxError('SYSTEM_NOT_FOUND', `No system named ${name} in the running project.`, {
    details: { system: name },
  });
}

/** The project's systems for operators: credential health, auth kind, operations, drift. */
export function registerSystemRoutes(app: FastifyInstance, deps: AdminDependencies): void {
  const systems = deps.systems;
  if (systems === undefined) return;

  app.get(
    '/api/v1/systems',
    {
      config: { roles: ROLES.read },
      schema: {
        operationId: 'listSystems',
        summary: 'Every system with its kind, base URL, auth kind, operation count and credential health',
        tags: ['systems'],
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: summary } } } },
      },
    },
    () => ({ items: systems.list() }),
  );

  app.get<{ Params: { name: string } }>(
    '/api/v1/systems/:name',
    {
      config: { roles: ROLES.read },
      schema: {
        operationId: 'getSystem',
        summary: 'One system: credential health, auth kind, operations, flows its invalid credentials paused',
        tags: ['systems'],
        params: nameParams,
        response: { 200: detail },
      },
    },
    async (request) => {
      const system = await systems.get(request.params.name);
      if (system === undefined) throw unknownSystem(request.params.name);
      return system;
    },
  );

  app.get<{ Params: { name: string } }>(
    '/api/v1/systems/:name/drift',
    {
      config: { roles: ROLES.read },
      schema: {
        operationId: 'getSystemDrift',
        summary:
          'Answers that stopped matching the description, per operation: new, missing or retyped fields by JSON pointer, with a sample',
        tags: ['systems'],
        params: nameParams,
        response: { 200: driftReport },
      },
    },
    (request) => {
      const operations = systems.drift(request.params.name);
      if (operations === undefined) throw unknownSystem(request.params.name);
      return { system: request.params.name, operations };
    },
  );
}
