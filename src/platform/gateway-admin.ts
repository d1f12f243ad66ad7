import type { GatewayAdmin } from '../admin/index.ts';
import { type Gateway, generateOpenApi, type RouteStats, type TraceRing } from '../gateway/index.ts';
import type { ApiDefinition } from '../project/index.ts';
import type { SystemsRuntime } from './systems-runtime.ts';

/** The admin API's view of the gateway: always the configuration new requests get. */
export function createGatewayAdmin(deps: {
  gateway: Gateway;
  stats: RouteStats;
  traces: TraceRing;
  runtime: () => SystemsRuntime;
  windowSeconds: number;
}): GatewayAdmin {
  const apis = () => deps.gateway.current()?.apis ?? new Map<string, ApiDefinition>();
  return {
    apis: () => [...apis().values()].map(effectiveApi),
    stats(name) {
      if (!apis().has(name)) return undefined;
      return { windowSeconds: deps.windowSeconds, routes: deps.stats.snapshot(name) ?? [] };
    },
    trace(correlationId) {
      const trace = deps.traces.get(correlationId);
      return trace === undefined ? undefined : { ...trace, at: new Date(trace.at).toISOString() };
    },
    openapi(name, version) {
      const api = apis().get(name);
      if (api === undefined) return undefined;
      const chosen = version ?? api.versioning?.default;
      if (
        chosen !== undefined &&
        api.versioning !== undefined &&
        !api.versioning.versions.some((v) => v.name === chosen)
      )
        return undefined;
      const runtime = deps.runtime();
      return generateOpenApi(api, chosen, {
        describe: (system, operation) => runtime.descriptions.get(system)?.operations.get(operation),
      });
    },
  };
}

/** An API as configured, with each route's effective policies (route keys replace the API's). */
function effectiveApi(api: ApiDefinition): Record<string, unknown> {
  const { source, routes, ...rest } = api;
  return {
    ...rest,
    file: source.file,
    routes: routes.map((route) => ({
      method: route.method,
      path: route.path,
      versions: route.versions ?? api.versioning?.versions.map((v) => v.name) ?? [],
      target: route.target,
      ...(route.rewrite === undefined ? {} : { rewrite: route.rewrite }),
      resilience: { ...api.resilience, ...route.resilience },
      policies: { ...api.policies, ...route.policies },
      source: `${route.source.file}:${route.source.line}`,
    })),
  };
}
