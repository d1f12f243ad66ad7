import type { FastifyInstance } from 'fastify';
import type { AdminDependencies } from '../ports.ts';

export function registerProjectRoutes(app: FastifyInstance, deps: AdminDependencies): void {
  app.get(
    '/api/v1/project',
    {
      schema: {
        operationId: 'getProject',
        summary: 'The effective project: systems, APIs with their routes, flows with versions',
        tags: ['project'],
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    () => deps.project(),
  );
}
