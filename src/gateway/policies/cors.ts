import { ConfluxError } from '../../errors/index.ts';
import type { CorsSettings } from '../../project/index.ts';
import type { Policy } from '../config.ts';
import type { RequestContext } from '../context.ts';

export const corsDefaults = { credentials: false, maxAgeSeconds: 600 } as const;

export interface Cors {
  /** Adds CORS response headers to actual (non-preflight) requests; never rejects. */
  readonly policy: Policy;
  /**
   * Answers OPTIONS for a path whose routes allow `methods`: the last policy of the OPTIONS
   * route the chain adds, so preflights are answered before authentication.
   */
  preflight(methods: readonly string[]): Policy;
}

/**
 * CORS per API. Origins are exact (`https://app.example.com`), wildcard subdomains
 * (`https://*.example.com`) or `*`. Every answer carries `Vary: Origin` unless the origin is
 * `*` without credentials, so a shared cache never serves one origin's answer to another.
 */
export function createCors(settings: CorsSettings): Cors {
  const credentials = settings.credentials ?? corsDefaults.credentials;
  const maxAge = String(settings.maxAgeSeconds ?? corsDefaults.maxAgeSeconds);
  const anyOrigin = settings.origins.includes('*');
  const exact = new Set(settings.origins.filter((origin) => !origin.includes('*')));
  const patterns = settings.origins
    .filter((origin) => origin !== '*' && origin.includes('*'))
    .map(originPattern);
  const exposed = settings.exposeHeaders?.join(', ');
  const allowedHeaders = settings.headers?.map((name) => name.toLowerCase());
  // `*` with credentials is forbidden by the Fetch standard; echo the origin instead.
  const echo = !anyOrigin || credentials;

  function allowedOrigin(origin: string): boolean {
    if (anyOrigin || exact.has(origin)) return true;
    for (const pattern of patterns) if (pattern.test(origin)) return true;
    return false;
  }

  function common(ctx: RequestContext, origin: string): void {
    const res = ctx.res;
    res.setHeader('access-control-allow-origin', echo ? origin : '*');
    if (credentials) res.setHeader('access-control-allow-credentials', 'true');
  }

  return {
    policy: {
      name: 'cors',
      apply(ctx) {
        if (echo) ctx.res.setHeader('vary', 'Origin');
        const origin = ctx.req.headers.origin;
        if (origin === undefined || !allowedOrigin(origin)) return;
        common(ctx, origin);
        if (exposed !== undefined) ctx.res.setHeader('access-control-expose-headers', exposed);
      },
    },
    preflight(routeMethods) {
      const methods = (settings.methods ?? routeMethods).map((method) => method.toUpperCase());
      const methodList = methods.join(', ');
      const allow = [...new Set([...routeMethods, 'OPTIONS'])].join(', ');
      return {
        name: 'cors',
        apply: (ctx) => {
          const res = ctx.res;
          res.setHeader('vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
          const origin = ctx.req.headers.origin;
          const method = ctx.req.headers['access-control-request-method'];
          if (origin === undefined || method === undefined) {
            // A plain OPTIONS, not a preflight: say what the path allows.
            res.writeHead(204, { allow });
            res.end();
            return;
          }
          if (!allowedOrigin(origin)) throw rejected(`The origin ${origin} is not allowed.`, { origin });
          if (!methods.includes(method.toUpperCase())) {
            throw rejected(
              `The method ${method} is not allowed for cross-origin requests; allowed: ${methodList}.`,
              { method },
            );
          }
          const requested = ctx.req.headers['access-control-request-headers'];
          if (requested !== undefined && allowedHeaders !== undefined) {
            const refused = requested
              .split(',')
              .map((name) => name.trim().toLowerCase())
              .filter((name) => name !== '' && !allowedHeaders.includes(name));
            if (refused.length > 0)
              throw rejected(
                `The header(s) ${refused.join(', ')} are not allowed for cross-origin requests.`,
                { headers: refused },
              );
          }
          common(ctx, origin);
          res.setHeader('access-control-allow-methods', methodList);
          if (requested !== undefined)
            res.setHeader('access-control-allow-headers', allowedHeaders?.join(', ') ?? requested);
          res.setHeader('access-control-max-age', maxAge);
          res.writeHead(204);
          res.end();
        },
      };
    },
  };
}

function rejected(message: string, details: Record<string, unknown>): ConfluxError {
  return new ConfluxError('GATEWAY_CORS_REJECTED', message, { details });
}

/** `https://*.example.com` matches one or more subdomain labels, never the bare domain. */
function originPattern(origin: string): RegExp {
  const escaped = origin
    .replace(/[.+?^${}()|[\]\\/]/g, '\\$&')
    .replace(/\*/g, '[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*');
  return new RegExp(`^${escaped}$`, 'i');
}
