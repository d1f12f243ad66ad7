import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { ConfluxError } from '../errors/index.ts';
import type { ApiKeyRecord, ConsumerKind, QuotaSetting, RateLimitSetting, Store } from '../store/index.ts';
import { generateApiKey, isWellFormedApiKey } from './api-key-format.ts';
import { type ConsumerDirectory, createConsumerDirectory, scopesBeyond } from './consumer-directory.ts';

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
  /** Consumer records (type, plan, scopes, disabled); shares the same short cache bound. */
  readonly consumers?: ConsumerDirectory;
  readonly now?: () => number;
}

export interface IssuedKey {
  /** The key itself: shown once, never stored. */
  readonly key: string;
  readonly record: ApiKeyRecord;
}

/** A key that passed every check, with what its consumer record says about the caller now. */
export interface VerifiedApiKey extends ApiKeyRecord {
  /** Effective scopes: the key's, narrowed to what its consumer (and plan) still grant. */
  readonly scopes: readonly string[];
  readonly consumerType?: ConsumerKind;
  readonly plan?: string;
  /** The stored plan's limits; they win over the API file's tiers of the plan's name. */
  readonly planLimits?: { readonly rateLimit: RateLimitSetting | null; readonly quota: QuotaSetting | null };
  /** APIs the consumer may call; undefined: no restriction recorded. */
  readonly apis?: readonly string[];
}

export interface ApiKeyService {
  create(input: {
    consumer: string;
    name: string;
    scopes?: readonly string[];
    expiresAt?: number | null;
  }): Promise<IssuedKey>;
  /** Resolves the key's record or throws AUTH_KEY_INVALID; never reveals which check failed. */
  verify(key: string): Promise<VerifiedApiKey>;
  list(filter?: { consumer?: string }): Promise<ApiKeyRecord[]>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  revoke(id: string): Promise<boolean>;
  /**
   * Issues a successor with the same consumer, name and scopes; the old key keeps working for
   * `overlapSeconds` (0: stops at once) and then stops. AUTH_KEY_NOT_FOUND when `id` is not
   * an active, unrotated key.
   */
  rotate(
    id: string,
    options: { overlapSeconds: number; expiresAt?: number | null },
  ): Promise<IssuedKey & { previous: ApiKeyRecord }>;
  /** Revokes every active key of a consumer; returns how many. */
  revokeAllOf(consumer: string): Promise<number>;
}

interface CacheEntry {
  readonly record: ApiKeyRecord;
  readonly until: number;
}

const LAST_USED_RESOLUTION_MS = 60_000;

export function createApiKeyService(options: ApiKeyServiceOptions): ApiKeyService {
  const now = options.now ?? Date.now;
  const ttl = options.cacheTtlMs ?? 2_000;
  const consumers =
    options.consumers ?? createConsumerDirectory({ store: options.store, cacheTtlMs: ttl, now });
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

  async function issue(input: {
    consumer: string;
    name: string;
    scopes: readonly string[];
    expiresAt: number | null;
    replaces?: string;
  }): Promise<IssuedKey> {
    const { key, prefix } = generateApiKey(options.environment);
    const record = await options.store.keys.create({
      id: randomUUID(),
      consumer: input.consumer,
      name: input.name,
      prefix,
      hash: hashOf(key),
      scopes: input.scopes,
      expiresAt: input.expiresAt,
      ...(input.replaces === undefined ? {} : { replaces: input.replaces }),
    });
    return { key, record };
  }

  return {
    async create(input) {
      const consumer = await options.store.consumers.get(input.consumer);
      let scopes = input.scopes ?? [];
      if (consumer !== undefined) {
        // Least privilege: a key may carry fewer scopes than its consumer, never more; a key
        // that names none gets the consumer's.
        const wider = scopesBeyond(scopes, consumer.scopes);
        if (wider.length > 0) {
          throw new ConfluxError(
            'AUTH_SCOPE_TOO_WIDE',
            `The key asks for scopes consumer ${consumer.name} does not have: ${wider.join(', ')}; expected a subset of [${consumer.scopes.join(', ')}].`,
            { details: { consumer: consumer.name, wider, allowed: consumer.scopes } },
          );
        }
        if (scopes.length === 0) scopes = consumer.scopes;
      }
      return issue({
        consumer: input.consumer,
        name: input.name,
        scopes,
        expiresAt: input.expiresAt ?? null,
      });
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
      const consumer = await consumers.resolve(record.consumer);
      if (consumer?.disabled === true) throw invalid();
      if (record.lastUsedAt === null || at - record.lastUsedAt > LAST_USED_RESOLUTION_MS) {
        // Recorded at minute resolution and off the request path: a write per request would
        // make every authenticated call a database write.
        const updated = { ...record, lastUsedAt: at };
        cache.set(hash, { record: updated, until: cache.get(hash)?.until ?? at + ttl });
        options.store.keys.touchLastUsed(record.id, at).catch(() => undefined);
      }
      if (consumer === undefined) return record;
      const granted = new Set(consumer.scopes);
      return {
        ...record,
        scopes: record.scopes.filter((scope) => granted.has(scope)),
        consumerType: consumer.type,
        ...(consumer.plan === null ? {} : { plan: consumer.plan }),
        ...(consumer.planLimits === undefined ? {} : { planLimits: consumer.planLimits }),
        ...(consumer.apis === null ? {} : { apis: consumer.apis }),
      };
    },

    async list(filter) {
      const all = await options.store.keys.list();
      return filter?.consumer === undefined ? all : all.filter((key) => key.consumer === filter.consumer);
    },

    get(id) {
      return options.store.keys.get(id);
    },

    async revoke(id) {
      const revoked = await options.store.keys.revoke(id, now());
      cache.clear();
      return revoked;
    },

    async rotate(id, rotation) {
      const previous = await options.store.keys.get(id);
      const at = now();
      const active =
        previous !== undefined &&
        previous.revokedAt === null &&
        (previous.replacedBy ?? null) === null &&
        (previous.expiresAt === null || previous.expiresAt > at);
      if (!active)
        throw new ConfluxError('AUTH_KEY_NOT_FOUND', `No active, unrotated API key with id ${id}.`, {
          details: { id },
        });
      const successor = await issue({
        consumer: previous.consumer,
        name: previous.name,
        scopes: previous.scopes,
        expiresAt: rotation.expiresAt ?? null,
        replaces: previous.id,
      });
      const overlapEnd = at + Math.max(0, rotation.overlapSeconds) * 1000;
      const ends = previous.expiresAt === null ? overlapEnd : Math.min(previous.expiresAt, overlapEnd);
      const marked = await options.store.keys.markReplaced(previous.id, successor.record.id, ends);
      if (!marked) {
        // Another rotation won the race: this successor must not outlive it.
        await options.store.keys.revoke(successor.record.id, at);
        throw new ConfluxError('AUTH_KEY_NOT_FOUND', `API key ${id} was rotated or revoked meanwhile.`, {
          details: { id },
        });
      }
      cache.clear();
      return { ...successor, previous: { ...previous, replacedBy: successor.record.id, expiresAt: ends } };
    },

    async revokeAllOf(consumer) {
      const count = await options.store.keys.revokeByConsumer(consumer, now());
      cache.clear();
      return count;
    },
  };
}
