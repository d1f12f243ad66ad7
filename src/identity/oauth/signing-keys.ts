import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/**
 * The authorization server's signing keys, kept encrypted in the vault. The newest key signs;
 * older keys stay published in the JWKS until every token they signed has expired, so a
 * rotation never invalidates a token in flight.
 */
export interface SigningKeyVault {
  get(name: string): Promise<string>;
  set(name: string, value: string): Promise<void>;
  has(name: string): Promise<boolean>;
}

export interface StoredSigningKey {
  readonly jwk: JWK;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Set when a newer key took over: the key stays published until this time. */
  readonly retireAt: number | null;
}

export const SIGNING_KEYS_SECRET = 'conflux.oauth.signing-keys';
export const COOKIE_KEYS_SECRET = 'conflux.oauth.cookie-keys';

async function newKey(now: number): Promise<StoredSigningKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { jwk: { ...jwk, kid, alg: 'ES256', use: 'sig' }, createdAt: now, retireAt: null };
}

export async function loadSigningKeys(vault: SigningKeyVault, now: number): Promise<StoredSigningKey[]> {
  if (await vault.has(SIGNING_KEYS_SECRET)) {
    const keys = (JSON.parse(await vault.get(SIGNING_KEYS_SECRET)) as StoredSigningKey[]).filter(
      (key) => key.retireAt === null || key.retireAt > now,
    );
    if (keys.length > 0) return keys;
  }
  const keys = [await newKey(now)];
  await vault.set(SIGNING_KEYS_SECRET, JSON.stringify(keys));
  return keys;
}

/** A new signing key first; the previous ones retire once `keepSeconds` (the token lifetime) have passed. */
export async function rotateSigningKeys(
  vault: SigningKeyVault,
  now: number,
  keepSeconds: number,
): Promise<StoredSigningKey[]> {
  const current = await loadSigningKeys(vault, now);
  const retireAt = now + keepSeconds * 1000;
  const keys = [await newKey(now), ...current.map((key) => ({ ...key, retireAt: key.retireAt ?? retireAt }))];
  await vault.set(SIGNING_KEYS_SECRET, JSON.stringify(keys));
  return keys;
}

export function publicJwks(keys: readonly StoredSigningKey[]): { keys: JWK[] } {
  return {
    keys: keys.map(
      ({ jwk }) =>
        ({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: jwk.kid, alg: jwk.alg, use: 'sig' }) as JWK,
    ),
  };
}

export async function loadCookieKeys(vault: SigningKeyVault, generate: () => string): Promise<string[]> {
  if (await vault.has(COOKIE_KEYS_SECRET)) return JSON.parse(await vault.get(COOKIE_KEYS_SECRET)) as string[];
  const keys = [generate()];
  await vault.set(COOKIE_KEYS_SECRET, JSON.stringify(keys));
  return keys;
}
