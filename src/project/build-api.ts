import { buildApiRouting, buildRouteRouting, buildRoutingTarget } from './build-api-routing.ts';
import type { ApiFile, RouteFile } from './file-shapes.ts';
import type { ApiDefinition, RouteTarget } from './model.ts';
import type { YamlFile } from './yaml-file.ts';

export const apiDefaults = {
  basePath: '',
  visibility: 'private',
  // Secure by default: an API is open only when its file says `auth: { type: none }`.
  auth: { type: 'apiKey', header: 'x-api-key' },
} as const;

export const registrationDefaults = { path: '/register', perHour: 10 } as const;

/** An API file as the model; the schema has already made each route name exactly one target. */
export function buildApi(file: ApiFile, yaml: YamlFile): ApiDefinition {
  const auth = file.auth ?? apiDefaults.auth;
  return {
    name: file.name,
    basePath: normalizeBasePath(file.basePath ?? apiDefaults.basePath),
    visibility: file.visibility ?? apiDefaults.visibility,
    auth:
      auth.type === 'none'
        ? { type: 'none' }
        : auth.type === 'oauth2' || auth.type === 'jwt'
          ? {
              type: auth.type,
              ...(auth.issuer === undefined ? {} : { issuer: auth.issuer }),
              ...(auth.jwksUri === undefined ? {} : { jwksUri: auth.jwksUri }),
              audience: auth.audience ?? `urn:conflux:api:${file.name}`,
              algorithms: auth.algorithms ?? ['ES256'],
              scopes: auth.scopes ?? [],
              routeScopes: auth.routeScopes ?? {},
              forwardIdentity: auth.forwardIdentity ?? 'strip',
            }
          : {
              type: 'apiKey',
              header: ('header' in auth ? (auth.header ?? 'x-api-key') : 'x-api-key').toLowerCase(),
            },
    routes: file.routes.map((route, index) => ({
      method: route.method,
      path: route.path,
      target: routeTarget(route),
      policies: route.policies ?? {},
      ...(route.description === undefined ? {} : { description: route.description }),
      ...buildRouteRouting(route),
      source: yaml.valueAt(['routes', index]),
    })),
    policies: file.policies ?? {},
    ...(file.description === undefined ? {} : { description: file.description }),
    ...buildApiRouting(file),
    ...(file.registration === undefined
      ? {}
      : {
          registration: {
            plan: file.registration.plan,
            path: file.registration.path ?? registrationDefaults.path,
            perHour: file.registration.perHour ?? registrationDefaults.perHour,
            source: yaml.valueAt(['registration']),
          },
        }),
    source: yaml.valueAt([]),
  };
}

function routeTarget(route: RouteFile): RouteTarget {
  const routing = buildRoutingTarget(route);
  if (routing !== undefined) return routing;
  if (route.flow !== undefined) return { kind: 'flow', flow: route.flow };
  if (route.system !== undefined && route.operation !== undefined) {
    return { kind: 'operation', system: route.system, operation: route.operation };
  }
  return { kind: 'url', url: route.url ?? '' };
}

/** `/v1/` means `/v1`; `/` means no prefix, so routes join as basePath + path. */
function normalizeBasePath(basePath: string): string {
  return basePath.replace(/\/+$/, '');
}
