import type { FastifyInstance } from 'fastify';
import type { ProjectReloads } from '../ports.ts';

const problem = {
  type: 'object',
  properties: {
    file: { type: 'string' },
    line: { type: 'integer' },
    column: { type: 'integer' },
    rule: { type: 'string' },
    message: { type: 'string' },
  },
} as const;

const reloadStatus = {
  type: 'object',
  properties: {
    outcome: { type: 'string', enum: ['none', 'applied', 'rejected'] },
    at: { type: ['string', 'null'] },
    problems: { type: 'array', items: problem },
    conformance: {
      type: ['object', 'null'],
      properties: {
        passed: { type: 'integer' },
        failed: { type: 'integer' },
        failures: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              spec: { type: 'string' },
              file: { type: 'string' },
              line: { type: 'integer' },
              name: { type: 'string' },
              diffs: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
  },
} as const;

/** Hot reload through the admin API, and the outcome of the last one (docs/gateway.md). */
export function registerReloadRoutes(app: FastifyInstance, reloads: ProjectReloads): void {
  app.get(
    '/api/v1/project/reload',
    {
      schema: {
        operationId: 'getReloadStatus',
        summary:
          'How the last reload of the project went: applied or rejected, with problems and failing spec cases',
        tags: ['project'],
        response: { 200: reloadStatus },
      },
    },
    () => reloads.status(),
  );
  app.post(
    '/api/v1/project/reload',
    {
      schema: {
        operationId: 'reloadProject',
        summary:
          'Load the project files again; apply them only if validation and the conformance specs pass (else the running version keeps serving)',
        tags: ['project'],
        response: { 200: reloadStatus },
      },
    },
    () => reloads.reload(),
  );
}
