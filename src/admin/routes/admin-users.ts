import type { FastifyInstance } from 'fastify';
import { ADMIN_ROLES, ROLES } from '../../identity/index.ts';
import type { AdminPrincipalRecord, AdminRole } from '../../store/index.ts';
import { actorOf, type IdentityAdmin } from '../identity-admin.ts';

const principalSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    createdAt: { type: 'string' },
    revoked: { type: 'boolean' },
    lastUsedAt: { type: ['string', 'null'] },
  },
} as const;

function present(record: AdminPrincipalRecord): object {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    createdAt: new Date(record.createdAt).toISOString(),
    revoked: record.revokedAt !== null,
    lastUsedAt: record.lastUsedAt === null ? null : new Date(record.lastUsedAt).toISOString(),
  };
}

/** Named admin identities (people or automation), each with a role and a token shown once. Owners only. */
export function registerAdminUserRoutes(app: FastifyInstance, identity: IdentityAdmin): void {
  app.get(
    '/api/v1/admin/whoami',
    {
      schema: {
        operationId: 'whoAmI',
        summary: 'The admin identity and role of this token',
        tags: ['admin'],
        response: {
          200: { type: 'object', properties: { name: { type: 'string' }, role: { type: 'string' } } },
        },
      },
    },
    async (request) => ({ name: actorOf(request).name, role: actorOf(request).role }),
  );

  app.get(
    '/api/v1/admin/users',
    {
      config: { roles: ROLES.own },
      schema: {
        operationId: 'listAdminUsers',
        summary: 'Named admin identities',
        tags: ['admin'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: principalSchema } } },
        },
      },
    },
    async () => ({ items: (await identity.admins.list()).map(present) }),
  );

  app.post<{ Body: { name: string; role: AdminRole } }>(
    '/api/v1/admin/users',
    {
      config: { roles: ROLES.own, audited: true },
      schema: {
        operationId: 'createAdminUser',
        summary: 'Create a named admin identity with a role; its token is in this response only',
        tags: ['admin'],
        body: {
          type: 'object',
          required: ['name', 'role'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', pattern: '^[A-Za-z0-9][\\w.@-]{0,127}$' },
            role: { enum: [...ADMIN_ROLES] },
          },
        },
        response: {
          201: { type: 'object', properties: { token: { type: 'string' }, user: principalSchema } },
        },
      },
    },
    async (request, reply) => {
      const { token, record } = await identity.admins.create(request.body);
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'admin-user.create',
        subject: `admin:${record.name}`,
        correlationId: request.id,
        status: 201,
        after: record,
      });
      return reply.status(201).send({ token, user: present(record) });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/admin/users/:id',
    {
      config: { roles: ROLES.own, audited: true },
      schema: {
        operationId: 'revokeAdminUser',
        summary: "Revoke an admin identity's token (within 2 s on every process)",
        tags: ['admin'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const revoked = await identity.admins.revoke(request.params.id);
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'admin-user.revoke',
        subject: `admin:${request.params.id}`,
        correlationId: request.id,
        status: revoked ? 204 : 404,
      });
      return reply.status(204).send();
    },
  );
}
