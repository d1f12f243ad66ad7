import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ConfluxError } from '../errors/index.ts';
import type { AdminPrincipalRecord, AdminRole, Store } from '../store/index.ts';
import type { AdminAuth } from './admin-token.ts';

/** Who an admin request comes from. The bootstrap token is always `bootstrap`, role owner. */
export interface AdminPrincipal {
  readonly id: string;
  readonly name: string;
  readonly role: AdminRole;
}

export interface AdminIdentity {
  /** The principal a bearer token belongs to; undefined when none (unknown or revoked). */
  authenticate(token: string): Promise<AdminPrincipal | undefined>;
  /** Creates a named admin identity; its token is in this answer only. */
  create(input: { name: string; role: AdminRole }): Promise<{ token: string; record: AdminPrincipalRecord }>;
  list(): Promise<AdminPrincipalRecord[]>;
  revoke(id: string): Promise<boolean>;
}

const BOOTSTRAP: AdminPrincipal = { id: 'bootstrap', name: 'bootstrap', role: 'owner' };
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function createAdminIdentity(options: {
  /** The bootstrap owner token; absent offline (the CLI manages identities, nobody signs in). */
  readonly bootstrap?: AdminAuth;
  readonly store: Pick<Store, 'adminPrincipals'>;
  /** Bounds how late a revocation reaches other processes. */
  readonly cacheTtlMs?: number;
  readonly now?: () => number;
}): AdminIdentity {
  const now = options.now ?? Date.now;
  const ttl = options.cacheTtlMs ?? 2_000;
  const cache = new Map<string, { principal: AdminPrincipal | undefined; until: number }>();
  const repository = options.store.adminPrincipals;
  return {
    async authenticate(token) {
      if (options.bootstrap?.verify(token) === true) return BOOTSTRAP;
      // Only tokens of our own shape reach the store: random bearer noise costs no query.
      if (!/^cfxadm_[A-Za-z0-9_-]{20,64}$/.test(token)) return undefined;
      const hash = sha256(token);
      const hit = cache.get(hash);
      if (hit !== undefined && hit.until > now()) return hit.principal;
      const record = await repository.findByHash(hash);
      const principal =
        record === undefined || record.revokedAt !== null
          ? undefined
          : { id: record.id, name: record.name, role: record.role };
      if (cache.size > 1_000) cache.clear();
      cache.set(hash, { principal, until: now() + ttl });
      if (
        record !== undefined &&
        principal !== undefined &&
        (record.lastUsedAt === null || now() - record.lastUsedAt > 60_000)
      ) {
        repository.touchLastUsed(record.id, now()).catch(() => undefined);
      }
      return principal;
    },
    async create(input) {
      if (
        input.name === BOOTSTRAP.name ||
        (await repository.list()).some((record) => record.name === input.name)
      ) {
        throw new ConfluxError(
          'AUTH_ADMIN_PRINCIPAL_EXISTS',
          `An admin identity named ${input.name} exists already.`,
          { details: { name: input.name } },
        );
      }
      const token = `cfxadm_${randomBytes(24).toString('base64url')}`;
      const record = await repository.create({
        id: randomUUID(),
        name: input.name,
        role: input.role,
        tokenHash: sha256(token),
      });
      return { token, record };
    },
    list: () => repository.list(),
    async revoke(id) {
      const revoked = await repository.revoke(id, now());
      cache.clear();
      return revoked;
    },
  };
}
