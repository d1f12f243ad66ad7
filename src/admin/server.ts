import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { correlationIdFrom } from '../observability/index.ts';
import { authorizeAdmin, OAUTH_PREFIX, registerChangeAudit } from './admin-access.ts';
import { collectOpenApi } from './openapi.ts';
import type { AdminDependencies } from './ports.ts';
import { registerProblemHandlers } from './problems.ts';
import { registerAdminUserRoutes } from './routes/admin-users.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerConsumerRoutes } from './routes/consumers.ts';
import { registerFlowRoutes } from './routes/flows.ts';
import { registerGatewayRoutes } from './routes/gateway.ts';
import { registerKeyRoutes } from './routes/keys.ts';
import { registerOAuthClientRoutes } from './routes/oauth-clients.ts';
import { registerPlanRoutes } from './routes/plans.ts';
import { registerProjectRoutes } from './routes/project.ts';
import { registerReloadRoutes } from './routes/reload.ts';
import { registerRunRoutes } from './routes/runs.ts';
import { registerSecretRoutes } from './routes/secrets.ts';
import { registerSystemRoutes } from './routes/systems.ts';

/** Paths anyone on the admin listener may read: probes and Prometheus. */
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/api/v1/openapi.json']);

export async function createAdminServer(deps: AdminDependencies, version: string): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1_048_576,
    genReqId: (req) => correlationIdFrom(firstHeader(req.headers['x-request-id']) ?? randomUUID()),
  });
  registerProblemHandlers(app, deps.logger);
  const openApi = collectOpenApi(app, { title: 'Conflux admin API', version });

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    const path = request.url.split('?')[0] ?? '';
    if (OPEN_PATHS.has(path) || path === OAUTH_PREFIX || path.startsWith(`${OAUTH_PREFIX}/`)) return;
    await authorizeAdmin(deps, request, reply);
  });
  registerChangeAudit(app, deps);
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequests.inc({
      listener: 'admin',
      api: '',
      route,
      method: request.method,
      status: reply.statusCode,
    });
    deps.metrics.httpDuration.observe({ listener: 'admin', api: '', route }, reply.elapsedTime / 1000);
    if (route !== '/healthz' && route !== '/readyz' && route !== '/metrics') {
      deps.logger.info({
        msg: 'admin request',
        correlationId: request.id,
        method: request.method,
        route,
        status: reply.statusCode,
        totalMs: Math.round(reply.elapsedTime * 100) / 100,
      });
    }
    done();
  });

  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = await deps.ready().catch(() => false);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' });
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
  registerProjectRoutes(app, deps);
  if (deps.reloads !== undefined) registerReloadRoutes(app, deps.reloads);
  registerRunRoutes(app, deps);
  registerFlowRoutes(app, deps);
  registerKeyRoutes(app, deps);
  registerSecretRoutes(app, deps);
  registerGatewayRoutes(app, deps);
  registerSystemRoutes(app, deps);
  if (deps.identity !== undefined) {
    registerConsumerRoutes(app, deps.identity, deps.keys);
    registerPlanRoutes(app, deps.identity);
    registerOAuthClientRoutes(app, deps.identity);
    registerAdminUserRoutes(app, deps.identity);
    registerAuditRoutes(app, deps.identity);
  }
  app.get('/api/v1/openapi.json', () => openApi());
  await app.ready();
  return app;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
