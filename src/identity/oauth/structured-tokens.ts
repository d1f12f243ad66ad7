import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';
import type { KoaContextLike } from 'oidc-provider';
import type { TokenRevocations } from './token-revocations.ts';

export interface StructuredTokenOptions {
  readonly issuer: string;
  /** The server's public signing keys (retired ones included until their tokens expire). */
  readonly jwks: JSONWebKeySet;
  readonly revocations: TokenRevocations;
  /** Whether the token's client and its consumer are still enabled (the gateway refuses otherwise). */
  readonly stillAllowed: (clientId: string) => Promise<boolean>;
  readonly now?: () => number;
}

/** Skew tolerated on `exp`, as at the gateway (policies/jwt.ts). */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Revocation (RFC 7009) and introspection (RFC 7662) of this server's JWT access tokens.
 *
 * oidc-provider answers `unsupported_token_type` for structured tokens at both endpoints (it
 * never stores them). This middleware lets the provider do everything it does for any token —
 * parse the request, authenticate the client — and takes over only that answer: it verifies
 * the token against the server's own keys and issuer, and then, for the client the token was
 * issued to (the same rule the provider applies to opaque tokens):
 *   - revocation records the token's `jti` in the shared revocation list until it expires;
 *   - introspection answers `active: true` with the token's claims, or `active: false` when it
 *     is expired, revoked (itself or its grant), or its client or consumer is disabled.
 * A token of another client, or one that does not verify, is answered like an unknown token:
 * 200 with nothing revoked, or `active: false`.
 */
export function structuredTokenEndpoints(options: StructuredTokenOptions) {
  const keys = createLocalJWKSet(options.jwks);
  const now = options.now ?? Date.now;

  async function verified(token: string): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        typ: 'at+jwt',
        algorithms: ['ES256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'jti', 'client_id'],
        currentDate: new Date(now()),
      });
      return payload;
    } catch {
      return undefined;
    }
  }

  return async (ctx: KoaContextLike, next: () => Promise<void>): Promise<void> => {
    const route =
      ctx.method !== 'POST'
        ? undefined
        : ctx.path === '/token/revocation'
          ? 'revocation'
          : ctx.path === '/token/introspection'
            ? 'introspection'
            : undefined;
    if (route === undefined) return next();
    await next();
    const refused = ctx.body as { error?: unknown } | undefined;
    const client = ctx.oidc?.client;
    const token = ctx.oidc?.params?.token;
    // Only the provider's "structured tokens are not supported" answer, and only after it
    // authenticated the client: every other answer (and every client failure) stands.
    if (ctx.status !== 400 || refused?.error !== 'unsupported_token_type') return;
    if (client === undefined || typeof token !== 'string') return;
    const claims = await verified(token);
    const own = claims !== undefined && claims.client_id === client.clientId;
    if (route === 'revocation') {
      if (own && typeof claims.jti === 'string' && typeof claims.exp === 'number') {
        await options.revocations.revokeToken(claims.jti, (claims.exp + CLOCK_TOLERANCE_SECONDS) * 1000);
      }
      ctx.status = 200;
      ctx.body = '';
      return;
    }
    ctx.status = 200;
    ctx.set('cache-control', 'no-store');
    const active =
      own && !(await options.revocations.isRevoked(claims)) && (await options.stillAllowed(client.clientId));
    ctx.body = active
      ? {
          active: true,
          token_type: 'Bearer',
          scope: claims.scope,
          client_id: claims.client_id,
          sub: claims.sub,
          aud: claims.aud,
          iss: claims.iss,
          exp: claims.exp,
          iat: claims.iat,
          jti: claims.jti,
          consumer: claims.consumer,
        }
      : { active: false };
  };
}
