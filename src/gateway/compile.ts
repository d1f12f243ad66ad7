import { ConfluxError } from '../errors/index.ts';
import type { ApiDefinition, Project, RouteDefinition } from '../project/index.ts';
import type { ApiKeyService } from '../identity/index.ts';
import type { CompiledRoute, GatewayConfig, Policy, TargetHandler, WebhookEndpoint } from './config.ts';
import { createApiKeyPolicy } from './policies/api-key.ts';
import type { FlowRunner, UpstreamDirectory } from './ports.ts';
import { RouteConflictError, Router } from './router.ts';
import { createFlowTarget } from './targets/flow.ts';
import { createProxyTarget } from './targets/proxy.ts';
import type { UpstreamPools } from './upstream-pools.ts';

export interface CompileDependencies {
  readonly keys: ApiKeyService;
  readonly flows: FlowRunner;
  readonly upstreams: UpstreamDirectory;
  readonly pools: UpstreamPools;
  readonly limits: { readonly maxBodyBytes: number; readonly flowTimeoutMs: number };
}

/**
 * Builds one immutable gateway configuration from a validated project. Everything that can be
 * decided once (route tree, policy chains, target handlers) is decided here, not per request.
 */
export function compileGateway(project: Project, deps: CompileDependencies): GatewayConfig {
  const router = new Router<CompiledRoute>();
  for (const api of project.apis.values()) {
    const policies = policiesFor(api, deps);
    for (const route of api.routes) {
      const template = joinPath(api.basePath, route.path);
      const compiled: CompiledRoute = {
        api: api.name,
        template,
        method: route.method.toUpperCase(),
        policies,
        handler: targetFor(route, template, deps),
      };
      try {
        router.add(compiled.method, template, compiled);
      } catch (error) {
        if (!(error instanceof RouteConflictError)) throw error;
        throw new ConfluxError('PROJECT_INVALID', `${where(route)}: ${error.message}`, { details: { ...route.source } });
      }
    }
  }
  const webhooks = new Map<string, WebhookEndpoint>();
  for (const flow of project.flows.values()) {
    for (const trigger of flow.triggers) {
      if (trigger.type !== 'webhook') continue;
      const handler = createFlowTarget({
        flow: flow.name,
        runner: deps.flows,
        maxBodyBytes: deps.limits.maxBodyBytes,
        timeoutMs: deps.limits.flowTimeoutMs,
        mode: trigger.mode,
        triggerType: 'webhook',
      });
      webhooks.set(trigger.path.replace(/^\/+/, ''), { flow: flow.name, handler });
    }
  }
  return { router, webhooks };
}

function policiesFor(api: ApiDefinition, deps: CompileDependencies): Policy[] {
  const policies: Policy[] = [];
  if (api.auth.type === 'apiKey') policies.push(createApiKeyPolicy({ header: api.auth.header, keys: deps.keys }));
  return policies;
}

function targetFor(route: RouteDefinition, template: string, deps: CompileDependencies): TargetHandler {
  const target = route.target;
  switch (target.kind) {
    case 'flow':
      return createFlowTarget({
        flow: target.flow,
        runner: deps.flows,
        maxBodyBytes: deps.limits.maxBodyBytes,
        timeoutMs: deps.limits.flowTimeoutMs,
        mode: 'sync',
        triggerType: 'route',
      });
    case 'operation': {
      const operation = deps.upstreams.operation(target.system, target.operation);
      const missing = templateParams(operation.pathTemplate).filter((name) => !templateParams(template).includes(name));
      if (missing.length > 0) {
        throw new ConfluxError(
          'PROJECT_INVALID',
          `${where(route)}: operation ${target.system}.${target.operation} needs path parameter(s) ${missing.map((m) => `{${m}}`).join(', ')}, which the route path ${route.path} does not have.`,
          { details: { ...route.source } },
        );
      }
      return createProxyTarget({
        pools: deps.pools,
        async resolve(ctx) {
          const credentials = await operation.credentials().catch((error: unknown) => {
            // A missing system credential is the project's fault, not the caller's: never a 404.
            throw new ConfluxError(
              'GATEWAY_UPSTREAM_CREDENTIALS_MISSING',
              `The credentials of system ${target.system} could not be resolved; set its secret (conflux secret set).`,
              { cause: error, details: { system: target.system } },
            );
          });
          return {
            origin: operation.origin,
            path: withQuery(fillTemplate(operation.pathTemplate, ctx.params), ctx.query, credentials.query),
            method: operation.method,
            timeoutMs: operation.timeoutMs,
            headers: credentials.headers,
          };
        },
      });
    }
    case 'url': {
      const url = new URL(target.url);
      return createProxyTarget({
        pools: deps.pools,
        resolve: (ctx) =>
          Promise.resolve({
            origin: url.origin,
            path: withQuery(fillTemplate(decodeURI(url.pathname), ctx.params), ctx.query, Object.fromEntries(url.searchParams)),
            method: ctx.req.method ?? 'GET',
            timeoutMs: 30_000,
            headers: {},
          }),
      });
    }
  }
}

function where(route: RouteDefinition): string {
  return `${route.source.file}:${route.source.line}:${route.source.column}`;
}

export function joinPath(base: string, path: string): string {
  const joined = `/${base}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

function templateParams(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
}

function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

function withQuery(path: string, query: string, extra: Record<string, string>): string {
  const params = new URLSearchParams(query);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}
