import type { ApiDefinition } from '../../project/index.ts';
import { versionPrefix } from '../compile-routes.ts';
import type { CompiledRoute } from '../config.ts';
import { sendJson } from '../respond.ts';
import { versionHeaders } from '../versioning.ts';
import { generateOpenApi, type OpenApiSources } from './generate-openapi.ts';

export type OpenApiRoute = Omit<CompiledRoute, 'policies' | 'audited'> & { readonly routePath: string };

/**
 * Routes that publish the API's OpenAPI document: `<basePath>/<version>/openapi.json` under URI
 * versioning, `<basePath>/openapi.json` otherwise (the version picked like any request's). They
 * run the API's own policy chain, so only consumers who may see the API get its document. The
 * document is generated on first request and kept for the life of this configuration.
 */
export function createOpenApiRoutes(api: ApiDefinition, sources: OpenApiSources): OpenApiRoute[] {
  const versions = api.versioning?.versions ?? [undefined];
  return versions.map((version) => {
    let body: unknown;
    const prefix = versionPrefix(api, version?.name ?? '');
    return {
      kind: 'route',
      api: api.name,
      template: `${prefix === '/' ? '' : prefix}/openapi.json`,
      routePath: '/openapi.json',
      method: 'GET',
      version: version?.name ?? '',
      headers: version === undefined ? [] : versionHeaders(version),
      target: 'openapi',
      handler: (ctx) => {
        body ??= generateOpenApi(api, version?.name, sources);
        sendJson(ctx.res, 200, body);
        return Promise.resolve();
      },
    };
  });
}
