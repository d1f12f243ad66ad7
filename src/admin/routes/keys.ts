import type { FastifyInstance } from 'fastify';
import { ConfluxError } from '../../errors/index.ts';
import type { ApiKeyRecord } from '../../store/index.ts';
import type { AdminDependencies } from '../ports.ts';

const keySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    consumer: { type: 'string' },
    name: { type: 'string' },
    prefix: { type: 'string', description: 'The visible start of the key, for identification' },
    scopes: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: ['string', 'null'], format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

export function registerKeyRoutes(app: FastifyInstance, deps: AdminDependencies): void {
  app.post<{ Body: { consumer: string; name?: string; scopes?: string[]; expiresAt?: string } }>(
    '/api/v1/keys',
    {
      schema: {
        operationId: 'createKey',
        summary: 'Issue an API key; the key is in this response only',
        tags: ['keys'],
        body: {
          type: 'object',
          required: ['consumer'],
          additionalProperties: false,
          properties: {
            consumer: { type: 'string', pattern: '^[A-Za-z0-9][\\w.-]{0,127}$' },
            name: { type: 'string', maxLength: 128 },
            scopes: { type: 'array', items: { type: 'string', pattern: '^[\\w:.-]{1,64}$' }, maxItems: 64 },
            expiresAt: { type: 'string', format: 'date-time' },
          },
        },
        response: { 201: { type: 'object', properties: { key: { type: 'string' }, record: keySchema } } },
      },
    },
    async (request, reply) => {
      const { consumer, name, scopes, expiresAt } = request.body;
      const expires = expiresAt === undefined ? null : Date.parse(expiresAt);
      if (expires !== null && expires <= Date.now()) {
        throw new ConfluxError(
          'HTTP_BAD_REQUEST',
          `body/expiresAt: ${expiresAt} is in the past; expected a future time.`,
        );
      }
      const issued = await deps.keys.create({
        consumer,
        name: name ?? consumer,
        scopes: scopes ?? [],
        expiresAt: expires,
      });
      deps.logger.info(
        { keyId: issued.record.id, prefix: issued.record.prefix, consumer, correlationId: request.id },
        'api key issued',
      );
      return reply.status(201).send({ key: issued.key, record: present(issued.record) });
    },
  );

  app.get(
    '/api/v1/keys',
    {
      schema: {
        operationId: 'listKeys',
        summary: 'List API keys (never the keys themselves)',
        tags: ['keys'],
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: keySchema } } } },
      },
    },
    async () => ({ items: (await deps.keys.list()).map(present) }),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/keys/:id',
    {
      schema: {
        operationId: 'revokeKey',
        summary: 'Revoke an API key; every gateway process refuses it within seconds',
        tags: ['keys'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const revoked = await deps.keys.revoke(request.params.id);
      if (!revoked)
        throw new ConfluxError('STORE_NOT_FOUND', `No active API key with id ${request.params.id}.`);
      deps.logger.info({ keyId: request.params.id, correlationId: request.id }, 'api key revoked');
      return reply.status(204).send();
    },
  );
}

function present(record: ApiKeyRecord): object {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: record.id,
    consumer: record.consumer,
    name: record.name,
    prefix: record.prefix,
    scopes: record.scopes,
    createdAt: new Date(record.createdAt).toISOString(),
    expiresAt: iso(record.expiresAt),
    revokedAt: iso(record.revokedAt),
    lastUsedAt: iso(record.lastUsedAt),
  };
}
