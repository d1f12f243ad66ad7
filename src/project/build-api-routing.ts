import type {
  ApiRoutingFile,
  ApiVersioning,
  CompositeTarget,
  MockTarget,
  ResilienceFile,
  ResilienceSettings,
  RouteRoutingFile,
} from './api-routing.ts';

export const routingDefaults = {
  versioningScheme: 'uri',
  versionHeader: 'api-version',
  compositeTimeoutMs: 5_000,
  onFailure: 'fail',
  retry: { attempts: 1, backoffMs: 100, maxBackoffMs: 2_000 },
  circuitBreaker: { errorRate: 0.5, minCalls: 10, windowMs: 10_000, openMs: 5_000 },
} as const;

/** The API-level routing fields of the model; only the fields the file sets are present. */
export function buildApiRouting(file: ApiRoutingFile): {
  description?: string;
  hosts?: readonly string[];
  versioning?: ApiVersioning;
  networks?: readonly string[];
  partners?: readonly string[];
  resilience?: ResilienceSettings;
} {
  const out: ReturnType<typeof buildApiRouting> = {};
  if (file.hosts !== undefined) out.hosts = file.hosts.map((host) => host.toLowerCase());
  if (file.networks !== undefined) out.networks = file.networks;
  if (file.partners !== undefined) out.partners = file.partners;
  if (file.resilience !== undefined) out.resilience = buildResilience(file.resilience);
  if (file.versions !== undefined || file.versioning !== undefined) {
    const versions = Object.entries(file.versions ?? {}).map(([name, settings]) => ({ name, ...settings }));
    out.versioning = {
      scheme: file.versioning?.scheme ?? routingDefaults.versioningScheme,
      header: (file.versioning?.header ?? routingDefaults.versionHeader).toLowerCase(),
      // The newest version (listed last) unless the file names another.
      default: file.versioning?.default ?? versions.at(-1)?.name ?? '',
      versions,
    };
  }
  return out;
}

export function buildRouteRouting(route: RouteRoutingFile): {
  versions?: readonly string[];
  rewrite?: string;
  resilience?: ResilienceSettings;
} {
  const out: ReturnType<typeof buildRouteRouting> = {};
  if (route.versions !== undefined) out.versions = route.versions;
  if (route.rewrite !== undefined) out.rewrite = route.rewrite;
  if (route.resilience !== undefined) out.resilience = buildResilience(route.resilience);
  return out;
}

/** The composite or mock target of a route, when it has one. */
export function buildRoutingTarget(route: RouteRoutingFile): CompositeTarget | MockTarget | undefined {
  if (route.mock !== undefined)
    return { kind: 'mock', system: route.mock.system, operation: route.mock.operation };
  if (route.composite === undefined) return undefined;
  const composite = route.composite;
  const target: { -readonly [K in keyof CompositeTarget]: CompositeTarget[K] } = {
    kind: 'composite',
    calls: composite.calls.map((call) => ({
      id: call.id,
      system: call.system,
      operation: call.operation,
      ...(call.input === undefined ? {} : { input: call.input }),
      needs: call.needs ?? [],
      timeoutMs: call.timeoutMs ?? routingDefaults.compositeTimeoutMs,
    })),
    onFailure: composite.onFailure ?? routingDefaults.onFailure,
  };
  if (composite.merge !== undefined) target.merge = composite.merge;
  return target;
}

function buildResilience(file: ResilienceFile): ResilienceSettings {
  const out: { -readonly [K in keyof ResilienceSettings]: ResilienceSettings[K] } = {};
  if (file.timeoutMs !== undefined) out.timeoutMs = file.timeoutMs;
  if (file.retry !== undefined) out.retry = { ...routingDefaults.retry, ...file.retry };
  if (file.circuitBreaker !== undefined)
    out.circuitBreaker = { ...routingDefaults.circuitBreaker, ...file.circuitBreaker };
  return out;
}
