import type { OAuthRepository } from '../../store/index.ts';

/** What the adapter needs to describe a registered client to oidc-provider. */
export type ClientMetadataLookup = (id: string) => Promise<Record<string, unknown> | undefined>;

/**
 * oidc-provider's persistence contract over Conflux's store: every model (grants, codes,
 * refresh tokens, sessions, interactions) as a JSON payload in `oauth_models`; clients come
 * from `oauth_clients` (their secrets from the vault) and are never written by the provider.
 */
export function createStoreAdapterFactory(
  repository: OAuthRepository,
  clients: ClientMetadataLookup,
  /** A grant was revoked: its JWT access tokens, which are never stored, must be refused too. */
  grantRevoked: (grantId: string) => Promise<void>,
) {
  return class StoreAdapter {
    readonly #model: string;

    constructor(model: string) {
      this.#model = model;
    }

    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void> {
      if (this.#model === 'Client') return;
      await repository.upsertModel({
        model: this.#model,
        id,
        payload,
        grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
        expiresAt: expiresIn === undefined ? null : Date.now() + expiresIn * 1000,
        consumedAt: null,
      });
    }

    async find(id: string): Promise<Record<string, unknown> | undefined> {
      if (this.#model === 'Client') return clients(id);
      return withConsumed(await repository.findModel(this.#model, id));
    }

    async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
      return withConsumed(await repository.findModelByUid(this.#model, uid));
    }

    async findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined> {
      return withConsumed(await repository.findModelByUserCode(this.#model, userCode));
    }

    async consume(id: string): Promise<void> {
      await repository.consumeModel(this.#model, id, Date.now());
    }

    async destroy(id: string): Promise<void> {
      await repository.destroyModel(this.#model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      // oidc-provider revokes a grant model by model; the AccessToken call stands for the grant.
      if (this.#model === 'AccessToken') await grantRevoked(grantId);
      await repository.revokeGrant(grantId);
    }
  };
}

function withConsumed(record: { payload: Record<string, unknown>; consumedAt: number | null } | undefined) {
  if (record === undefined) return undefined;
  return record.consumedAt === null
    ? record.payload
    : { ...record.payload, consumed: Math.floor(record.consumedAt / 1000) };
}
