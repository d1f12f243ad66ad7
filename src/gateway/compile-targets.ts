import { ConfluxError } from '../errors/index.ts';
import type { ApiDefinition, ResilienceSettings, RouteDefinition } from '../project/index.ts';
import type { TargetHandler } from './config.ts';
import type { RequestContext } from './context.ts';
import type { FlowRunner, MockDirectory, OperationCaller, UpstreamDirectory } from './ports.ts';
import type { CircuitBreakers } from './resilience/circuit-breaker.ts';
import { parseParamSegment } from './router.ts';
import { createCompositeTarget } from './targets/composite.ts';
import { createFlowTarget } from './targets/flow.ts';
import { createProxyTarget } from './targets/proxy.ts';
import type { UpstreamPools } from './upstream-pools.ts';

export interface TargetDependencies {
  readonly flows: FlowRunner;
  readonly upstreams: UpstreamDirectory;
  readonly pools: UpstreamPools;
  readonly breakers: CircuitBreakers;
  readonly caller: OperationCaller | undefined;
  readonly mocks: MockDirectory | undefined;
  readonly limits: { readonly maxBodyBytes: number; readonly flowTimeoutMs: number };
}

/** Default upstream timeout of URL targets, which have no system to say. */
const URL_TIMEOUT_MS = 30_000;

/**
 * The handler of one route, built once per configuration. `template` is the full path template
 * the route is served at; `prefix` the part before the route's own path (basePath and version),
 * which `{path}` in a rewrite leaves out.
 */
export function targetFor(
  api: ApiDefinition,
  route: RouteDefinition,
  template: string,
  prefix: string,
  deps: TargetDependencies,
): TargetHandler {
  const target = route.target;
  const resilience = mergeResilience(api.resilience, route.resilience);
  switch (target.kind) {
    case 'flow':
      return createFlowTarget({
        flow: target.flow,
        runner: deps.flows,
        maxBodyBytes: deps.limits.maxBodyBytes,
        timeoutMs: resilience.timeoutMs ?? deps.limits.flowTimeoutMs,
        mode: 'sync',
        triggerType: 'route',
      });
    case 'operation': {
      const operation = deps.upstreams.operation(target.system, target.operation);
      const missing = templateParams(operation.pathTemplate).filter(
        (name) => !templateParams(template).includes(name),
      );
      if (missing.length > 0) {
        throw new ConfluxError(
          'PROJECT_INVALID',
          `${where(route)}: operation ${target.system}.${target.operation} needs path parameter(s) ${missing.map((m) => `{${m}}`).join(', ')}, which the route path ${route.path} does not have.`,
          { details: { ...route.source } },
        );
      }
      const timeoutMs = resilience.timeoutMs ?? operation.timeoutMs;
      return createProxyTarget({
        pools: deps.pools,
        retry: resilience.retry,
        breaker:
          resilience.circuitBreaker === undefined
            ? undefined
            : deps.breakers.get(operation.origin, resilience.circuitBreaker),
        budget: operation.budget,
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
            timeoutMs,
            headers: credentials.headers,
          };
        },
      });
    }
    case 'url': {
      const url = new URL(target.url);
      const pathTemplate = route.rewrite ?? decodeURI(url.pathname);
      const fixedQuery = Object.fromEntries(url.searchParams);
      const rest = (ctx: RequestContext) => ctx.path.slice(prefix.length) || '/';
      return createProxyTarget({
        pools: deps.pools,
        retry: resilience.retry,
        breaker:
          resilience.circuitBreaker === undefined
            ? undefined
            : deps.breakers.get(url.origin, resilience.circuitBreaker),
        resolve: (ctx) =>
          Promise.resolve({
            origin: url.origin,
            path: withQuery(fillTemplate(pathTemplate, ctx.params, rest(ctx)), ctx.query, fixedQuery),
            method: ctx.req.method ?? 'GET',
            timeoutMs: resilience.timeoutMs ?? URL_TIMEOUT_MS,
            headers: {},
          }),
      });
    }
    case 'composite': {
      if (deps.caller === undefined)
        throw new ConfluxError(
          'PROJECT_INVALID',
          `${where(route)}: composite routes need the system caller, which this gateway was built without.`,
        );
      return createCompositeTarget({
        target,
        caller: deps.caller,
        maxBodyBytes: deps.limits.maxBodyBytes,
        where: where(route),
        parameterNames: (system, operation) =>
          deps.upstreams
            .describe?.(system, operation)
            ?.parameters.filter((p) => p.in === 'path' || p.in === 'query')
            .map((p) => p.name),
      });
    }
    case 'mock': {
      if (deps.mocks === undefined)
        throw new ConfluxError(
          'PROJECT_INVALID',
          `${where(route)}: mock routes need mock servers, which this gateway was built without.`,
        );
      const operation = deps.mocks.operation(target.system, target.operation);
      return createProxyTarget({
        pools: deps.pools,
        resolve: async (ctx) => ({
          origin: await operation.origin(),
          path: withQuery(fillTemplate(operation.pathTemplate, ctx.params), ctx.query, {}),
          method: operation.method,
          timeoutMs: URL_TIMEOUT_MS,
          headers: {},
        }),
      });
    }
  }
}

/** The route's settings replace the API's field by field. */
function mergeResilience(
  api: ResilienceSettings | undefined,
  route: ResilienceSettings | undefined,
): ResilienceSettings {
  return { ...api, ...route };
}

export function where(route: RouteDefinition): string {
  return `${route.source.file}:${route.source.line}:${route.source.column}`;
}

/** Parameter names of a template; `{id:int}` names `id`. */
export function templateParams(template: string): string[] {
  return [...template.matchAll(/\{[^}]+\}/g)].map((match) => parseParamSegment(match[0])?.name ?? match[0]);
}

function fillTemplate(template: string, params: Record<string, string>, rest = ''): string {
  return template.replace(/\{([^}:]+)(?::[^}]*)?\}/g, (_, name: string) =>
    name === 'path' && params.path === undefined ? rest : encodeURIComponent(params[name] ?? ''),
  );
}

function withQuery(path: string, query: string, extra: Record<string, string>): string {
  if (query === '' && Object.keys(extra).length === 0) return path;
  const params = new URLSearchParams(query);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}
