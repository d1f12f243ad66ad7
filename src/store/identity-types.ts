/**
 * Identity's records (src/identity): consumers, plans, OAuth clients and users, the
 * authorization server's models, and admin principals. Timestamps are epoch ms.
 */

export type ConsumerKind = 'internal' | 'partner' | 'public';

export interface ConsumerContact {
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
}

export interface ConsumerRecord {
  readonly name: string;
  readonly type: ConsumerKind;
  readonly description: string;
  readonly contact: ConsumerContact;
  /** APIs the consumer may call; null: every API its type and plan allow. */
  readonly apis: readonly string[] | null;
  readonly plan: string | null;
  /** The widest set of scopes any of its credentials may carry. */
  readonly scopes: readonly string[];
  readonly disabledAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type ConsumerPatch = Partial<
  Pick<ConsumerRecord, 'type' | 'description' | 'contact' | 'apis' | 'plan' | 'scopes' | 'disabledAt'>
>;

export interface RateLimitSetting {
  readonly requests: number;
  readonly perSeconds: number;
}

export interface QuotaSetting {
  readonly requests: number;
  readonly period: 'hour' | 'day' | 'month';
}

export interface PlanRecord {
  readonly name: string;
  readonly description: string;
  readonly rateLimit: RateLimitSetting | null;
  readonly quota: QuotaSetting | null;
  readonly apis: readonly string[] | null;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type PlanPatch = Partial<Pick<PlanRecord, 'description' | 'rateLimit' | 'quota' | 'apis' | 'scopes'>>;

export interface ConsumerRepository {
  create(record: Omit<ConsumerRecord, 'createdAt' | 'updatedAt' | 'disabledAt'>): Promise<ConsumerRecord>;
  get(name: string): Promise<ConsumerRecord | undefined>;
  list(): Promise<ConsumerRecord[]>;
  update(name: string, patch: ConsumerPatch): Promise<ConsumerRecord | undefined>;
  delete(name: string): Promise<boolean>;
}

export interface PlanRepository {
  create(record: Omit<PlanRecord, 'createdAt' | 'updatedAt'>): Promise<PlanRecord>;
  get(name: string): Promise<PlanRecord | undefined>;
  list(): Promise<PlanRecord[]>;
  update(name: string, patch: PlanPatch): Promise<PlanRecord | undefined>;
  delete(name: string): Promise<boolean>;
}

export interface OAuthClientRecord {
  readonly id: string;
  readonly consumer: string;
  readonly name: string;
  readonly grantTypes: readonly ('client_credentials' | 'authorization_code' | 'refresh_token')[];
  /** Exact redirect URIs (authorization code clients). */
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
  /** Resource indicators (RFC 8707) the client may request tokens for. */
  readonly audiences: readonly string[];
  readonly createdAt: number;
  readonly disabledAt: number | null;
}

export interface OAuthUserRecord {
  readonly username: string;
  /** `scrypt$N$r$p$salt$hash` (base64url parts). */
  readonly passwordHash: string;
  readonly displayName: string;
  readonly createdAt: number;
  readonly disabledAt: number | null;
}

/** One oidc-provider model instance (grant, code, refresh token, session, interaction...). */
export interface OAuthModelRecord {
  readonly model: string;
  readonly id: string;
  readonly payload: Record<string, unknown>;
  readonly grantId: string | null;
  readonly uid: string | null;
  readonly userCode: string | null;
  readonly expiresAt: number | null;
  readonly consumedAt: number | null;
}

export interface OAuthRepository {
  createClient(record: Omit<OAuthClientRecord, 'createdAt' | 'disabledAt'>): Promise<OAuthClientRecord>;
  getClient(id: string): Promise<OAuthClientRecord | undefined>;
  listClients(): Promise<OAuthClientRecord[]>;
  disableClient(id: string, at: number): Promise<boolean>;
  createUser(record: Omit<OAuthUserRecord, 'createdAt' | 'disabledAt'>): Promise<OAuthUserRecord>;
  getUser(username: string): Promise<OAuthUserRecord | undefined>;
  listUsers(): Promise<OAuthUserRecord[]>;
  disableUser(username: string, at: number): Promise<boolean>;
  upsertModel(record: OAuthModelRecord): Promise<void>;
  findModel(model: string, id: string): Promise<OAuthModelRecord | undefined>;
  findModelByUid(model: string, uid: string): Promise<OAuthModelRecord | undefined>;
  findModelByUserCode(model: string, userCode: string): Promise<OAuthModelRecord | undefined>;
  consumeModel(model: string, id: string, at: number): Promise<void>;
  destroyModel(model: string, id: string): Promise<void>;
  /** Deletes every model of a grant: revoking a grant, or a replayed refresh token's family. */
  revokeGrant(grantId: string): Promise<void>;
  /**
   * Records revoked JWT access tokens (`token`, by jti) or grants (`grant`, by reference),
   * each kept until `expiresAt`; recording one twice keeps the later expiry. Drops expired rows.
   */
  addRevocations(entries: readonly OAuthRevocation[], at: number): Promise<void>;
  /** Which of these references are revoked now. */
  findRevocations(refs: readonly OAuthRevocationRef[], now: number): Promise<OAuthRevocationRef[]>;
}

export interface OAuthRevocationRef {
  readonly kind: 'token' | 'grant';
  readonly id: string;
}

export interface OAuthRevocation extends OAuthRevocationRef {
  /** Epoch ms after which no token the row concerns can be valid any more. */
  readonly expiresAt: number;
}

export type AdminRole = 'owner' | 'admin' | 'developer' | 'viewer' | 'auditor';

export interface AdminPrincipalRecord {
  readonly id: string;
  readonly name: string;
  readonly role: AdminRole;
  /** SHA-256 of the token (hex); the token itself is shown once. */
  readonly tokenHash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  readonly lastUsedAt: number | null;
}

export interface AdminPrincipalRepository {
  create(
    record: Omit<AdminPrincipalRecord, 'createdAt' | 'revokedAt' | 'lastUsedAt'>,
  ): Promise<AdminPrincipalRecord>;
  findByHash(hash: string): Promise<AdminPrincipalRecord | undefined>;
  list(): Promise<AdminPrincipalRecord[]>;
  revoke(id: string, at: number): Promise<boolean>;
  touchLastUsed(id: string, at: number): Promise<void>;
}

export interface ConsumersTable {
  name: string;
  type: string;
  description: string;
  contact: string;
  apis: string | null;
  plan: string | null;
  scopes: string;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface PlansTable {
  name: string;
  description: string;
  rate_limit: string | null;
  quota: string | null;
  apis: string | null;
  scopes: string;
  created_at: number;
  updated_at: number;
}

export interface OAuthClientsTable {
  id: string;
  consumer: string;
  name: string;
  grant_types: string;
  redirect_uris: string;
  scopes: string;
  audiences: string;
  created_at: number;
  disabled_at: number | null;
}

export interface OAuthUsersTable {
  username: string;
  password_hash: string;
  display_name: string;
  created_at: number;
  disabled_at: number | null;
}

export interface OAuthModelsTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

export interface OAuthRevocationsTable {
  kind: string;
  id: string;
  revoked_at: number;
  expires_at: number;
}

export interface AdminPrincipalsTable {
  id: string;
  name: string;
  role: string;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}
