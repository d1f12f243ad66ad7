import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { ConfluxError } from '../../errors/index.ts';
import type { Policy } from '../config.ts';
import type { ConsumerType, PlanLimits, RequestContext } from '../context.ts';
import { notFound } from '../not-found.ts';
import { VerifiedTokens } from './verified-tokens.ts';

/** Asymmetric algorithms only: a shared-secret alg (HS*) or `none` can never be accepted (RFC 8725 §3.1). */
export const ASYMMETRIC_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
] as const;

export type JwtKeySource =
  | { readonly kind: 'remote'; readonly url: string; readonly cacheMaxAgeMs?: number }
  | { readonly kind: 'local'; readonly jwks: () => JSONWebKeySet };

export interface JwtPolicyOptions {
  /** The issuer every token must name; a function when it is only known at start (the local server). */
  readonly issuer: string | (() => string | undefined);
  readonly audience: string;
  readonly keys: JwtKeySource;
  /** Pinned algorithms; each must be asymmetric. */
  readonly algorithms: readonly string[];
  /** `at+jwt` for RFC 9068 access tokens (the local authorization server); undefined: any. */
  readonly typ?: string;
  /** Scopes every route of the API requires. */
  readonly scopes: readonly string[];
  /** Extra scopes per route, keyed `METHOD <full path template>` (compile.ts expands the API file's keys). */
  readonly routeScopes: Readonly<Record<string, readonly string[]>>;
  /** Allowed clock skew for exp/nbf/iat. */
  readonly clockToleranceSeconds?: number;
  /**
   * What the upstream learns about the caller: nothing (`strip`: the Authorization header is
   * removed), or a header with a compact JWS the upstream can verify (`sign`).
   */
  readonly forward:
    | { readonly mode: 'strip' }
    | {
        readonly mode: 'sign';
        readonly header: string;
        readonly sign: (claims: Record<string, unknown>) => Promise<string>;
      };
  /** What the store says about a consumer now: refuses disabled ones, adds type, plan and APIs. */
  readonly consumers?: (name: string) => Promise<ConsumerFacts | undefined>;
  /**
   * Whether a verified token was revoked since it was issued (the local authorization server:
   * RFC 7009 revocation, or its grant revoked). Asked after the signature checks out.
   */
  readonly revoked?: (claims: JWTPayload) => Promise<boolean>;
  readonly now?: () => number;
}

export interface ConsumerFacts {
  readonly type: ConsumerType;
  readonly plan: string | null;
  readonly apis: readonly string[] | null;
  readonly scopes: readonly string[];
  readonly disabled: boolean;
  /** The stored plan's limits, when the consumer has a stored plan. */
  readonly planLimits?: PlanLimits;
}

/**
 * Validates bearer JWT access tokens locally: signature against a JWKS (remote with caching, or
 * the local authorization server's keys), pinned algorithms, `iss`, `aud`, `exp`, `nbf`, `typ`;
 * then revocation and the scopes the route requires. Every failure is the same 401 (the reason
 * stays on the error's cause, never in the answer), so probing the validator learns nothing.
 */
export function createJwtPolicy(options: JwtPolicyOptions): Policy {
  for (const alg of options.algorithms) {
    if (!(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new ConfluxError(
        'CONFIG_INVALID',
        `JWT algorithm ${alg} is not allowed; expected asymmetric algorithms (${ASYMMETRIC_ALGORITHMS.join(', ')}).`,
      );
    }
  }
  const getKey = keyResolver(options.keys);
  // The reason stays on the error as its cause and never reaches the answer (problem details
  // carry `details`): a caller probing the validator learns nothing from a refusal.
  const invalid = (reason: string, cause?: unknown) =>
    new ConfluxError('AUTH_TOKEN_INVALID', 'The access token is not valid.', {
      cause: cause ?? new Error(reason),
    });

  const verified = new VerifiedTokens(options.now ?? Date.now);
  async function verify(ctx: RequestContext, token: string, issuer: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer,
        audience: options.audience,
        algorithms: [...options.algorithms],
        ...(options.typ === undefined ? {} : { typ: options.typ }),
        clockTolerance: options.clockToleranceSeconds ?? 30,
        requiredClaims: ['exp'],
        ...(options.now === undefined ? {} : { currentDate: new Date(options.now()) }),
      });
      verified.remember(token, payload);
      return payload;
    } catch (error) {
      ctx.res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      throw invalid((error as { code?: string }).code ?? 'verification failed', error);
    }
  }

  return {
    name: 'jwt',
    async apply(ctx) {
      const header = ctx.req.headers.authorization;
      const match =
        typeof header === 'string'
          ? /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header)
          : null;
      if (match === null) {
        ctx.res.setHeader('www-authenticate', 'Bearer');
        throw new ConfluxError(
          'AUTH_TOKEN_MISSING',
          'Send an access token as "Authorization: Bearer <jwt>".',
        );
      }
      const issuer = typeof options.issuer === 'function' ? options.issuer() : options.issuer;
      if (issuer === undefined) throw invalid('issuer not started');
      const token = match[1] as string;
      let payload = verified.get(token);
      if (payload === undefined || payload.iss !== issuer) payload = await verify(ctx, token, issuer);
      if (options.revoked !== undefined && (await options.revoked(payload))) {
        ctx.res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
        throw invalid('token revoked');
      }
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
      const name =
        typeof payload.consumer === 'string'
          ? payload.consumer
          : String(payload.client_id ?? payload.sub ?? '');
      if (name === '') throw invalid('token names no consumer');
      const facts = await options.consumers?.(name);
      if (facts?.disabled === true) throw invalid('consumer disabled');
      // A token carries the scopes granted at issue; the consumer's current scopes narrow them.
      const granted = facts === undefined ? scopes : scopes.filter((scope) => facts.scopes.includes(scope));
      ctx.consumer = {
        name,
        keyId: `jwt:${String(payload.jti ?? '')}`,
        scopes: granted,
        ...(facts === undefined ? {} : { type: facts.type }),
        ...(facts?.plan === null || facts === undefined ? {} : { plan: facts.plan }),
        ...(facts?.planLimits === undefined ? {} : { planLimits: facts.planLimits }),
      };
      assertApiAllowed(ctx, facts?.apis ?? undefined);
      const required = [
        ...options.scopes,
        ...(ctx.route === undefined
          ? []
          : (options.routeScopes[`${ctx.route.method} ${ctx.route.template}`] ?? [])),
      ];
      const missing = required.filter((scope) => !granted.includes(scope));
      if (missing.length > 0) {
        ctx.res.setHeader(
          'www-authenticate',
          `Bearer error="insufficient_scope", scope="${required.join(' ')}"`,
        );
        throw new ConfluxError(
          'AUTH_SCOPE_INSUFFICIENT',
          `The token lacks the scopes ${missing.join(', ')} this route requires.`,
          { details: { missing } },
        );
      }
      delete ctx.req.headers.authorization;
      if (options.forward.mode === 'sign') {
        ctx.req.headers[options.forward.header.toLowerCase()] = await options.forward.sign({
          consumer: name,
          scope: granted.join(' '),
          sub: payload.sub,
          aud: options.audience,
        });
      }
    },
  };
}

function keyResolver(source: JwtKeySource): JWTVerifyGetKey {
  if (source.kind === 'remote') {
    return createRemoteJWKSet(new URL(source.url), {
      cacheMaxAge: source.cacheMaxAgeMs ?? 600_000,
      cooldownDuration: 30_000,
    });
  }
  // The local key set changes on rotation: rebuild the resolver when the set object changes.
  let current: JSONWebKeySet | undefined;
  let resolver: JWTVerifyGetKey | undefined;
  return (protectedHeader, token) => {
    const jwks = source.jwks();
    if (jwks !== current || resolver === undefined) {
      current = jwks;
      resolver = createLocalJWKSet(jwks);
    }
    return resolver(protectedHeader, token);
  };
}

/** The consumer's API list refuses other APIs with the 404 an unknown path gets. */
export function assertApiAllowed(ctx: RequestContext, apis: readonly string[] | undefined): void {
  if (apis === undefined || ctx.route === undefined || apis.includes(ctx.route.api)) return;
  throw notFound(ctx.req.method ?? 'GET', ctx.path);
}
