import type { JWTPayload } from 'jose';

/** How long a verified token is trusted without checking its signature again. */
const MAX_TRUST_MS = 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Tokens whose signature and claims were verified, until they expire (at most a minute): a
 * client sends the same access token many times, and an ES256/RS256 verification costs more than
 * the rest of the request. Only successes are kept; expiry is checked on every hit; the bound
 * drops the oldest entries first. A key removed from the JWKS stops accepting its tokens within
 * that minute; revocation is checked per request, outside this cache.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { readonly payload: JWTPayload; readonly until: number }>();

  constructor(private readonly now: () => number) {}

  get(token: string): JWTPayload | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.until > this.now()) return entry.payload;
    this.entries.delete(token);
    return undefined;
  }

  remember(token: string, payload: JWTPayload): void {
    const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
    const until = Math.min(expiresAt, this.now() + MAX_TRUST_MS);
    if (until <= this.now()) return;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { payload, until });
  }
}
