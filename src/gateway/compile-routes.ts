import type { IncomingHttpHeaders } from 'node:http';
import { ConfluxError } from '../errors/index.ts';
import type { ApiDefinition, SourceLocation } from '../project/index.ts';
import type { CompiledRoute, RouteEntry, VersionedRoutes } from './config.ts';
import type { HostTable } from './host-table.ts';
import { RouteConflictError, type Router } from './router.ts';
import { createVersionSelector, versionAliases } from './versioning.ts';

/** `/` + base + `/` + path, without doubled or trailing slashes. */
export function joinPath(...parts: string[]): string {
  const joined = `/${parts.join('/')}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** The path prefix of one version of an API: basePath, plus `/v1` under URI versioning. */
export function versionPrefix(api: ApiDefinition, version: string): string {
  return api.versioning?.scheme === 'uri' ? joinPath(api.basePath, version) : joinPath(api.basePath);
}

/**
 * Puts a compiled route into the host table: under each of the API's hosts (or any host), at
 * its template. Under the header and media-type schemes the versions of one path share an entry
 * that picks per request; under the URI scheme each version has its own path, and the default
 * version also answers without the version segment.
 */
export function registerRoute(
  table: HostTable<RouteEntry>,
  api: ApiDefinition,
  route: CompiledRoute,
  routePath: string,
  source: SourceLocation,
): void {
  const versioning = api.versioning;
  for (const host of api.hosts ?? [undefined]) {
    const router = table.routerFor(host);
    if (versioning === undefined) {
      add(router, route.method, route.template, route, source);
      continue;
    }
    if (versioning.scheme === 'uri') {
      add(router, route.method, route.template, route, source);
      if (route.version === versioning.default) {
        const bare = joinPath(api.basePath, routePath);
        // Best effort: an explicit route at the bare path wins over the default-version alias.
        if (router.get(route.method, bare) === undefined) add(router, route.method, bare, route, source);
      }
      continue;
    }
    const existing = router.get(route.method, route.template);
    if (existing !== undefined && (existing.kind !== 'versioned' || existing.api !== api.name)) {
      throw conflict(source, `${route.method} ${route.template} is defined twice`);
    }
    const entry: VersionedRoutes = existing ?? {
      kind: 'versioned',
      api: api.name,
      select: createVersionSelector(versioning),
      byVersion: new Map(),
      defaultVersion: versioning.default,
    };
    for (const alias of versionAliases(route.version)) {
      if (entry.byVersion.has(alias))
        throw conflict(
          source,
          `${route.method} ${route.template} is defined twice in version ${route.version}`,
        );
      entry.byVersion.set(alias, route);
    }
    if (existing === undefined) add(router, route.method, route.template, entry, source);
  }
}

function add(
  router: Router<RouteEntry>,
  method: string,
  template: string,
  value: RouteEntry,
  source: SourceLocation,
): void {
  try {
    router.add(method, template, value);
  } catch (error) {
    if (!(error instanceof RouteConflictError)) throw error;
    throw conflict(source, error.message);
  }
}

function conflict(source: SourceLocation, message: string): ConfluxError {
  return new ConfluxError('PROJECT_INVALID', `${source.file}:${source.line}:${source.column}: ${message}`, {
    details: { ...source },
  });
}

/** The route a request gets from an entry: itself, or the version the request names. */
export function pickRoute(entry: RouteEntry, headers: IncomingHttpHeaders): CompiledRoute | undefined {
  if (entry.kind === 'route') return entry;
  return entry.byVersion.get(entry.select(headers) ?? entry.defaultVersion);
}
