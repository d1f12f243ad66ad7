import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { ConfluxError } from '../errors/index.ts';
import type { ApiKeyRecord, Store } from '../store/index.ts';
import { generateApiKey, isWellFormedApiKey } from './api-key-format.ts';

export interface ApiKeyServiceOptions {
  readonly store: Store;
  /**
   * Secret pepper for the key hash, derived from the key-encryption key: a stolen database
   * alone does not let an attacker test guesses offline.
   */
  readonly pepper: Buffer;
  readonly environment: string;
  /**
   * How long a verified key is trusted without asking the store again. Bounds how late a
   * revocation takes effect on a busy gateway; keep it to seconds.
   */
  readonly cacheTtlMs?: number;
  readonly now?: () => number;
}

export interface IssuedKey {
  /** The key itself: shown once, never stored. */
  readonly key: string;
  readonly record: ApiKeyRecord;
}

export interface ApiKeyService {
  create(input: { consumer: string; name: string; scopes?: readonly string[]; expiresAt?: number | null }): Promise<IssuedKey>;
  /** Resolves the key's record or throws AUTH_KEY_INVALID; never reveals which check failed. */
  verify(key: string): Promise<ApiKeyRecord>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: string): Promise<boolean>;
}

interface CacheEntry {
  readonly record: ApiKeyRecord;
  readonly until: number;
}

const LAST_USED_RESOLUTION_MS = 60_000;

export function createApiKeyService(options: ApiKeyServiceOptions): ApiKeyService {
  const now = options.now ?? Date.now;
  const ttl = options.cacheTtlMs ?? 2_000;
  const cache = new Map<string, CacheEntry>();
  const hashOf = (key: string): string => createHmac('sha256', options.pepper).update(key).digest('hex');

  function invalid(): ConfluxError {
    return new ConfluxError('AUTH_KEY_INVALID', 'The API key is unknown, revoked or expired.');
  }

  async function lookup(hash: string): Promise<ApiKeyRecord | undefined> {
    const cached = cache.get(hash);
    if (cached !== undefined && cached.until > now()) return cached.record;
    const record = await options.store.keys.findByHash(hash);
    if (record === undefined) {
      cache.delete(hash);
      return undefined;
    }
    // Bounded cache: a flood of distinct valid keys cannot grow memory without limit.
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { record, until: now() + ttl });
    return record;
  }

  return {
    async create(input) {
      const { key, prefix } = generateApiKey(options.environment);
      const record = await options.store.keys.create({
        id: randomUUID(),
        consumer: input.consumer,
        name: input.name,
        prefix,
        hash: hashOf(key),
        scopes: input.scopes ?? [],
        expiresAt: input.expiresAt ?? null,
      });
      return { key, record };
    },

    async verify(key) {
      if (!isWellFormedApiKey(key)) throw invalid();
      const hash = hashOf(key);
      const record = await lookup(hash);
      if (record === undefined) throw invalid();
      // The store found the row by hash; comparing again in constant time keeps the check
      // itself free of early exits whatever the store's index does.
      if (!timingSafeEqual(Buffer.from(record.hash, 'hex'), Buffer.from(hash, 'hex'))) throw invalid();
      const at = now();
      if (record.revokedAt !== null && record.revokedAt <= at) throw invalid();
      if (record.expiresAt !== null && record.expiresAt <= at) throw invalid();
      if (record.lastUsedAt === null || at - record.lastUsedAt > LAST_USED_RESOLUTION_MS) {
        // Recorded at minute resolution and off the request path: a write per request would
        // make every authenticated call a database write.
        const updated = { ...record, lastUsedAt: at };
        cache.set(hash, { record: updated, until: cache.get(hash)?.until ?? at + ttl });
        options.store.keys.touchLastUsed(record.id, at).catch(() => undefined);
      }
      return record;
    },

    list() {
      return options.store.keys.list();
    },

    async revoke(id) {
      const revoked = await options.store.keys.revoke(id, now());
      cache.clear();
      return revoked;
    },
  };
}
