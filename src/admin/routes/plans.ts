import type { FastifyInstance } from 'fastify';
import { ROLES } from '../../identity/index.ts';
import type { PlanRecord } from '../../store/index.ts';
import { actorOf, type IdentityAdmin } from '../identity-admin.ts';

const NAME = '^[A-Za-z0-9][\\w.-]{0,127}$';
const rateLimit = {
  type: ['object', 'null'],
  required: ['requests', 'perSeconds'],
  additionalProperties: false,
  properties: { requests: { type: 'integer', minimum: 1 }, perSeconds: { type: 'integer', minimum: 1 } },
} as const;
const quota = {
  type: ['object', 'null'],
  required: ['requests', 'period'],
  additionalProperties: false,
  properties: { requests: { type: 'integer', minimum: 1 }, period: { enum: ['hour', 'day', 'month'] } },
} as const;
const planFields = {
  description: { type: 'string', maxLength: 1000 },
  rateLimit,
  quota,
  apis: { type: ['array', 'null'], items: { type: 'string', pattern: NAME } },
  scopes: { type: 'array', items: { type: 'string', pattern: '^[\\w:.-]{1,64}$' } },
} as const;
const planSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    ...planFields,
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;
const params = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: NAME } },
} as const;

type PlanBody = Partial<Pick<PlanRecord, 'description' | 'rateLimit' | 'quota' | 'apis' | 'scopes'>>;

function present(record: PlanRecord): object {
  return {
    ...record,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  };
}

/**
 * Plans: consumption tiers. The plan's name picks the gateway's rate-limit and quota tier of an
 * API (`plans:` in its policies); its `apis` and `scopes` narrow what its consumers may use.
 */
export function registerPlanRoutes(app: FastifyInstance, identity: IdentityAdmin): void {
  const change = { roles: ROLES.manage, audited: true };
  app.get(
    '/api/v1/plans',
    {
      schema: {
        operationId: 'listPlans',
        summary: 'List plans',
        tags: ['plans'],
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: planSchema } } } },
      },
    },
    async () => ({ items: (await identity.consumers.listPlans()).map(present) }),
  );

  app.post<{ Body: PlanBody & { name: string } }>(
    '/api/v1/plans',
    {
      config: change,
      schema: {
        operationId: 'createPlan',
        summary: 'Create a plan (rate limit, quota, allowed APIs, scopes)',
        tags: ['plans'],
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', pattern: NAME }, ...planFields },
        },
        response: { 201: planSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const record = await identity.consumers.createPlan({
        name: body.name,
        description: body.description ?? '',
        rateLimit: body.rateLimit ?? null,
        quota: body.quota ?? null,
        apis: body.apis ?? null,
        scopes: body.scopes ?? [],
      });
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'plan.create',
        subject: `plan:${record.name}`,
        correlationId: request.id,
        status: 201,
        after: record,
      });
      return reply.status(201).send(present(record));
    },
  );

  app.get<{ Params: { name: string } }>(
    '/api/v1/plans/:name',
    {
      schema: {
        operationId: 'getPlan',
        summary: 'One plan',
        tags: ['plans'],
        params,
        response: { 200: planSchema },
      },
    },
    async (request) => present(await identity.consumers.getPlan(request.params.name)),
  );

  app.patch<{ Params: { name: string }; Body: PlanBody }>(
    '/api/v1/plans/:name',
    {
      config: change,
      schema: {
        operationId: 'updatePlan',
        summary: "Change a plan; its consumers' next requests use it",
        tags: ['plans'],
        params,
        body: { type: 'object', additionalProperties: false, properties: planFields },
        response: { 200: planSchema },
      },
    },
    async (request) => {
      const { before, after } = await identity.consumers.updatePlan(request.params.name, request.body);
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'plan.update',
        subject: `plan:${after.name}`,
        correlationId: request.id,
        status: 200,
        before,
        after,
      });
      return present(after);
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/v1/plans/:name',
    {
      config: change,
      schema: {
        operationId: 'deletePlan',
        summary: 'Delete a plan no consumer uses',
        tags: ['plans'],
        params,
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const before = await identity.consumers.deletePlan(request.params.name);
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'plan.delete',
        subject: `plan:${before.name}`,
        correlationId: request.id,
        status: 204,
        before,
      });
      return reply.status(204).send();
    },
  );
}
