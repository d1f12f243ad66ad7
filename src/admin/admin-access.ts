import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConfluxError } from '../errors/index.ts';
import { ROLES } from '../identity/index.ts';
import type { AdminDependencies } from './ports.ts';

/** Where the OAuth authorization server is mounted on the admin listener (no admin token). */
export const OAUTH_PREFIX = '/oauth';

/**
 * The one access mechanism of the admin API: a route's `config.roles` (or the default, every
 * role for reads and `operate` for changes) is checked here, in onRequest, before any handler
 * runs. The same list is published as `x-roles` in the OpenAPI document.
 */
export function rolesOf(
  method: string,
  config: { roles?: readonly string[] } | undefined,
): readonly string[] {
  if (config?.roles !== undefined) return config.roles;
  return method === 'GET' || method === 'HEAD' ? ROLES.read : ROLES.operate;
}

export async function authorizeAdmin(
  deps: AdminDependencies,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const authorization = request.headers.authorization ?? '';
  const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : '';
  const principal =
    token === ''
      ? undefined
      : deps.identity !== undefined
        ? await deps.identity.admins.authenticate(token)
        : deps.verifyAdminToken(token)
          ? { id: 'bootstrap', name: 'bootstrap', role: 'owner' as const }
          : undefined;
  if (principal === undefined) {
    void reply.header('www-authenticate', 'Bearer realm="conflux-admin"');
    throw new ConfluxError('AUTH_ADMIN_REQUIRED', 'Send an admin token as "Authorization: Bearer <token>".');
  }
  request.admin = principal;
  const allowed = rolesOf(request.method, request.routeOptions.config);
  if (!allowed.includes(principal.role)) {
    throw new ConfluxError(
      'ADMIN_FORBIDDEN',
      `Role ${principal.role} may not call ${request.method} ${request.routeOptions.url ?? request.url}; allowed: ${allowed.join(', ')}.`,
      {
        details: { role: principal.role, allowed },
      },
    );
  }
}

/** Every change through the admin API leaves an audit event, even on routes that record no detail. */
export function registerChangeAudit(app: FastifyInstance, deps: AdminDependencies): void {
  app.addHook('onResponse', async (request, reply) => {
    const identity = deps.identity;
    if (identity === undefined || request.admin === undefined) return;
    if (request.method === 'GET' || request.method === 'HEAD' || request.routeOptions.config.audited === true)
      return;
    await identity.audit
      .recordChange({
        actor: request.admin,
        action: `admin.${request.method.toLowerCase()}`,
        subject: request.routeOptions.url ?? request.url.split('?')[0] ?? '',
        correlationId: request.id,
        status: reply.statusCode,
        details: { params: request.params },
      })
      .catch((error: unknown) =>
        deps.logger.error({ err: error, correlationId: request.id }, 'audit event could not be stored'),
      );
  });
}
