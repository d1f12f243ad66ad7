import type { FastifyInstance } from 'fastify';
import type { AdminDependencies } from '../ports.ts';

const SECRET_NAME = '^[a-z0-9][a-z0-9._-]{0,127}$';

export function registerSecretRoutes(app: FastifyInstance, deps: AdminDependencies): void {
  app.get(
    '/api/v1/secrets',
    {
      schema: {
        operationId: 'listSecrets',
        summary: 'Names of the secrets in the vault (values are never returned)',
        tags: ['secrets'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: { type: 'string' } } } },
        },
      },
    },
    async () => ({ items: await deps.secrets.list() }),
  );

  app.put<{ Params: { name: string }; Body: { value: string } }>(
    '/api/v1/secrets/:name',
    {
      schema: {
        operationId: 'putSecret',
        summary: 'Store a secret value, encrypted; systems reference it by name',
        tags: ['secrets'],
        params: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', pattern: SECRET_NAME } },
        },
        body: {
          type: 'object',
          required: ['value'],
          additionalProperties: false,
          properties: { value: { type: 'string', minLength: 1, maxLength: 65536 } },
        },
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      await deps.secrets.set(request.params.name, request.body.value);
      deps.logger.info({ secretName: request.params.name, correlationId: request.id }, 'secret stored');
      return reply.status(204).send();
    },
  );
}
