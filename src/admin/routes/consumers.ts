import type { FastifyInstance } from 'fastify';
import { ConfluxError } from '../../errors/index.ts';
import { type ApiKeyService, onboardPartner, presentConsumer, ROLES } from '../../identity/index.ts';
import type { ApiKeyRecord, ConsumerKind, ConsumerRecord } from '../../store/index.ts';
import { actorOf, type IdentityAdmin } from '../identity-admin.ts';

const NAME = '^[A-Za-z0-9][\\w.-]{0,127}$';
const SCOPE = { type: 'string', pattern: '^[\\w:.-]{1,64}$' } as const;
const API_LIST = {
  type: ['array', 'null'],
  items: { type: 'string', pattern: NAME },
  maxItems: 256,
} as const;
const contactSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 200 },
    email: { type: 'string', format: 'email' },
    phone: { type: 'string', maxLength: 40 },
  },
} as const;
export const consumerSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    type: { type: 'string', enum: ['internal', 'partner', 'public'] },
    description: { type: 'string' },
    contact: contactSchema,
    apis: API_LIST,
    plan: { type: ['string', 'null'] },
    scopes: { type: 'array', items: { type: 'string' } },
    disabled: { type: 'boolean' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;
const params = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: NAME } },
} as const;

interface ConsumerBody {
  name: string;
  type: ConsumerKind;
  description?: string;
  contact?: ConsumerRecord['contact'];
  apis?: string[] | null;
  plan?: string | null;
  scopes?: string[];
}

export function presentKey(record: ApiKeyRecord): object {
  const iso = (ms: number | null | undefined): string | null =>
    ms === null || ms === undefined ? null : new Date(ms).toISOString();
  return {
    id: record.id,
    consumer: record.consumer,
    name: record.name,
    prefix: record.prefix,
    scopes: record.scopes,
    createdAt: iso(record.createdAt),
    expiresAt: iso(record.expiresAt),
    revokedAt: iso(record.revokedAt),
    lastUsedAt: iso(record.lastUsedAt),
    replacedBy: record.replacedBy ?? null,
    replaces: record.replaces ?? null,
  };
}

/** Consumers, partner onboarding and key rotation: who may call which APIs with which scopes. */
export function registerConsumerRoutes(
  app: FastifyInstance,
  identity: IdentityAdmin,
  keys: ApiKeyService,
): void {
  const change = { roles: ROLES.manage, audited: true };

  app.get(
    '/api/v1/consumers',
    {
      schema: {
        operationId: 'listConsumers',
        summary: 'List consumers',
        tags: ['consumers'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: consumerSchema } } },
        },
      },
    },
    async () => ({ items: (await identity.consumers.list()).map(presentConsumer) }),
  );

  app.post<{ Body: ConsumerBody }>(
    '/api/v1/consumers',
    {
      config: change,
      schema: {
        operationId: 'createConsumer',
        summary: 'Create a consumer (internal, partner or public) with its APIs, plan and scopes',
        tags: ['consumers'],
        body: {
          type: 'object',
          required: ['name', 'type'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', pattern: NAME },
            type: { type: 'string', enum: ['internal', 'partner', 'public'] },
            description: { type: 'string', maxLength: 1000 },
            contact: contactSchema,
            apis: API_LIST,
            plan: { type: ['string', 'null'], pattern: NAME },
            scopes: { type: 'array', items: SCOPE, maxItems: 128 },
          },
        },
        response: { 201: consumerSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const record = await identity.consumers.create({
        name: body.name,
        type: body.type,
        description: body.description ?? '',
        contact: body.contact ?? {},
        apis: body.apis ?? null,
        plan: body.plan ?? null,
        scopes: body.scopes ?? [],
      });
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'consumer.create',
        subject: `consumer:${record.name}`,
        correlationId: request.id,
        status: 201,
        after: record,
      });
      return reply.status(201).send(presentConsumer(record));
    },
  );

  app.get<{ Params: { name: string } }>(
    '/api/v1/consumers/:name',
    {
      schema: {
        operationId: 'getConsumer',
        summary: 'One consumer',
        tags: ['consumers'],
        params,
        response: { 200: consumerSchema },
      },
    },
    async (request) => presentConsumer(await identity.consumers.get(request.params.name)),
  );

  app.patch<{ Params: { name: string }; Body: Omit<ConsumerBody, 'name'> & { disabled?: boolean } }>(
    '/api/v1/consumers/:name',
    {
      config: change,
      schema: {
        operationId: 'updateConsumer',
        summary:
          'Change a consumer; a plan, scope or disable change applies to its next request (within 2 s on every process)',
        tags: ['consumers'],
        params,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            type: { type: 'string', enum: ['internal', 'partner', 'public'] },
            description: { type: 'string', maxLength: 1000 },
            contact: contactSchema,
            apis: API_LIST,
            plan: { type: ['string', 'null'], pattern: NAME },
            scopes: { type: 'array', items: SCOPE, maxItems: 128 },
            disabled: { type: 'boolean' },
          },
        },
        response: { 200: consumerSchema },
      },
    },
    async (request) => {
      const { disabled, ...patch } = request.body;
      const name = request.params.name;
      let { before, after } = await identity.consumers.update(name, patch);
      if (disabled !== undefined) ({ after } = await identity.consumers.setDisabled(name, disabled));
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'consumer.update',
        subject: `consumer:${name}`,
        correlationId: request.id,
        status: 200,
        before,
        after,
      });
      return presentConsumer(after);
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/v1/consumers/:name',
    {
      config: change,
      schema: {
        operationId: 'deleteConsumer',
        summary: 'Delete a consumer and revoke all its keys',
        tags: ['consumers'],
        params,
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const before = await identity.consumers.delete(request.params.name);
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'consumer.delete',
        subject: `consumer:${before.name}`,
        correlationId: request.id,
        status: 204,
        before,
      });
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { id: string }; Body: { overlapSeconds?: number; expiresAt?: string } }>(
    '/api/v1/keys/:id/rotate',
    {
      config: { roles: ROLES.operate, audited: true },
      schema: {
        operationId: 'rotateKey',
        summary: 'Issue a successor key; the old one keeps working for overlapSeconds, then stops',
        tags: ['keys'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            overlapSeconds: { type: 'integer', minimum: 0, maximum: 30 * 86400 },
            expiresAt: { type: 'string', format: 'date-time' },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              key: { type: 'string' },
              record: { type: 'object', additionalProperties: true },
              previous: { type: 'object', additionalProperties: true },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const expiresAt = body.expiresAt === undefined ? null : Date.parse(body.expiresAt);
      if (expiresAt !== null && expiresAt <= Date.now()) {
        throw new ConfluxError(
          'HTTP_BAD_REQUEST',
          `body/expiresAt: ${body.expiresAt} is in the past; expected a future time.`,
        );
      }
      const rotated = await keys.rotate(request.params.id, {
        overlapSeconds: body.overlapSeconds ?? 3600,
        expiresAt,
      });
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'key.rotate',
        subject: `key:${rotated.previous.id}`,
        correlationId: request.id,
        status: 201,
        before: presentKey(rotated.previous),
        after: presentKey(rotated.record),
      });
      return reply.status(201).send({
        key: rotated.key,
        record: presentKey(rotated.record),
        previous: presentKey(rotated.previous),
      });
    },
  );

  app.post<{
    Body: ConsumerBody & {
      credentials?: ('apiKey' | 'clientCredentials')[];
      audiences?: string[];
      keyExpiresAt?: string;
    };
  }>(
    '/api/v1/partners',
    {
      config: change,
      schema: {
        operationId: 'onboardPartner',
        summary:
          'Onboard a partner: a partner consumer with exactly the APIs and scopes named, and its credentials (shown once)',
        tags: ['consumers'],
        body: {
          type: 'object',
          required: ['name', 'apis'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', pattern: NAME },
            type: { const: 'partner' },
            description: { type: 'string', maxLength: 1000 },
            contact: contactSchema,
            apis: { type: 'array', items: { type: 'string', pattern: NAME }, minItems: 1, maxItems: 256 },
            plan: { type: ['string', 'null'], pattern: NAME },
            scopes: { type: 'array', items: SCOPE, maxItems: 128 },
            credentials: {
              type: 'array',
              items: { enum: ['apiKey', 'clientCredentials'] },
              minItems: 1,
              uniqueItems: true,
            },
            audiences: { type: 'array', items: { type: 'string', format: 'uri' }, maxItems: 64 },
            keyExpiresAt: { type: 'string', format: 'date-time' },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              consumer: consumerSchema,
              apiKey: {
                type: 'object',
                properties: { key: { type: 'string' }, id: { type: 'string' }, prefix: { type: 'string' } },
              },
              oauthClient: {
                type: 'object',
                properties: {
                  clientId: { type: 'string' },
                  clientSecret: { type: 'string' },
                  audiences: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const onboarded = await onboardPartner(
        { consumers: identity.consumers, keys, oauth: identity.oauth },
        {
          name: body.name,
          apis: body.apis ?? [],
          ...(body.description === undefined ? {} : { description: body.description }),
          ...(body.contact === undefined ? {} : { contact: body.contact }),
          ...(body.plan === undefined ? {} : { plan: body.plan }),
          ...(body.scopes === undefined ? {} : { scopes: body.scopes }),
          ...(body.credentials === undefined ? {} : { credentials: body.credentials }),
          ...(body.audiences === undefined ? {} : { audiences: body.audiences }),
          ...(body.keyExpiresAt === undefined ? {} : { keyExpiresAt: Date.parse(body.keyExpiresAt) }),
        },
      );
      const answer = { ...onboarded, consumer: presentConsumer(onboarded.consumer) };
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'partner.onboard',
        subject: `consumer:${onboarded.consumer.name}`,
        correlationId: request.id,
        status: 201,
        after: answer,
      });
      return reply.status(201).send(answer);
    },
  );
}
