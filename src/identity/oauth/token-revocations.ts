import { createHash } from 'node:crypto';
import type { OAuthRepository, OAuthRevocationRef } from '../../store/index.ts';

/**
 * Revoked JWT access tokens and grants, shared by every process through the store.
 *
 * oidc-provider issues access tokens as JWTs (RFC 9068) and never stores them, so neither its
 * revocation endpoint nor a revoked grant can reach a token already handed out. Conflux
 * records both here: a revoked token by its `jti`, a revoked grant (refresh token revoked or
 * replayed) by the `gid` claim every token of that grant carries. Rows live until the last
 * token they concern has expired, so the list stays as small as the set of live tokens.
 * Gateways ask per token and cache the answer for a couple of seconds: that bound is how late
 * a revocation reaches a process it was not made on.
 */
export interface TokenRevocations {
  /** Whether the token (`jti`) or its grant (`gid`) is revoked. */
  isRevoked(claims: { readonly jti?: unknown; readonly gid?: unknown }): Promise<boolean>;
  /** Revokes one access token until it expires (epoch ms). */
  revokeToken(jti: string, expiresAt: number): Promise<void>;
  /** Revokes every access token of a grant issued until now. */
  revokeGrant(grantId: string): Promise<void>;
}

/**
 * The grant reference tokens carry (`gid`): a digest of oidc-provider's grant id, so the
 * store's own key for the grant never leaves the server.
 */
export function grantReference(grantId: string): string {
  return createHash('sha256').update(`conflux grant ${grantId}`).digest('base64url').slice(0, 32);
}

export function createTokenRevocations(options: {
  readonly repository: Pick<OAuthRepository, 'addRevocations' | 'findRevocations'>;
  /** The longest an access token of this server lives (plus clock skew), in ms. */
  readonly maxTokenLifetimeMs: number;
  readonly cacheTtlMs?: number;
  readonly now?: () => number;
}): TokenRevocations {
  const now = options.now ?? Date.now;
  const ttl = options.cacheTtlMs ?? 2_000;
  const cache = new Map<string, { revoked: boolean; until: number }>();

  return {
    async isRevoked(claims) {
      const refs: OAuthRevocationRef[] = [];
      if (typeof claims.jti === 'string' && claims.jti !== '') refs.push({ kind: 'token', id: claims.jti });
      if (typeof claims.gid === 'string' && claims.gid !== '') refs.push({ kind: 'grant', id: claims.gid });
      if (refs.length === 0) return false;
      const key = refs.map((ref) => `${ref.kind}:${ref.id}`).join('|');
      const hit = cache.get(key);
      if (hit !== undefined && hit.until > now()) return hit.revoked;
      const revoked = (await options.repository.findRevocations(refs, now())).length > 0;
      // Bounded: a flood of distinct tokens cannot grow memory without limit.
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { revoked, until: now() + ttl });
      return revoked;
    },
    async revokeToken(jti, expiresAt) {
      await options.repository.addRevocations([{ kind: 'token', id: jti, expiresAt }], now());
      cache.clear();
    },
    async revokeGrant(grantId) {
      const at = now();
      await options.repository.addRevocations(
        [{ kind: 'grant', id: grantReference(grantId), expiresAt: at + options.maxTokenLifetimeMs }],
        at,
      );
      cache.clear();
    },
  };
}
