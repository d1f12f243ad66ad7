import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { importJWK, type JWK, SignJWT } from 'jose';
import type Provider from 'oidc-provider';
import { ConfluxError } from '../../errors/index.ts';
import type { Logger } from '../../observability/index.ts';
import type { OAuthClientRecord, OAuthUserRecord, Store } from '../../store/index.ts';
import { type ConsumerDirectory, scopesBeyond } from '../consumer-directory.ts';
import { hashPassword } from '../password.ts';
import { clientSecretName } from './client-secret-name.ts';
import { createLocalAuthenticator, handleInteraction, type UserAuthenticator } from './interactions.ts';
import {
  loadCookieKeys,
  loadSigningKeys,
  publicJwks,
  rotateSigningKeys,
  type SigningKeyVault,
  type StoredSigningKey,
} from './signing-keys.ts';
import { createTokenRevocations } from './token-revocations.ts';

export interface OAuthServerOptions {
  readonly store: Pick<Store, 'oauth' | 'consumers' | 'plans'>;
  readonly vault: SigningKeyVault & { delete(name: string): Promise<boolean> };
  readonly consumers: ConsumerDirectory;
  readonly logger: Logger;
  /** Access-token lifetime (RFC 9700: short); default 600 s. */
  readonly accessTokenTtlSeconds?: number;
  /** Who signs users in; default the local user store (oauth_users). */
  readonly authenticator?: UserAuthenticator;
}

export interface NewOAuthClient {
  readonly consumer: string;
  readonly name: string;
  readonly grantTypes: OAuthClientRecord['grantTypes'];
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
  readonly audiences: readonly string[];
}

/**
 * The OAuth 2.0 authorization server: oidc-provider over Conflux's store and vault, mounted
 * under a path prefix of an existing listener (`start(issuer)` once the listener's port is
 * known). Signing keys rotate without a restart: the provider is rebuilt over the same store.
 */
export interface OAuthServer {
  readonly ttlSeconds: number;
  start(issuer: string): Promise<void>;
  issuer(): string | undefined;
  /** Serves one request whose URL starts with the mount prefix. */
  handle(req: IncomingMessage, res: ServerResponse, prefix: string): Promise<void>;
  /** Public signing keys (newest first), for local token validation. */
  jwks(): { keys: JWK[] };
  /**
   * Whether an access token of this server was revoked, itself (`jti`) or its grant (`gid`):
   * asked by the gateway after the signature checks out; answers may be 2 s old.
   */
  isRevoked(claims: { readonly jti?: unknown; readonly gid?: unknown }): Promise<boolean>;
  rotateSigningKey(): Promise<{ kid: string }>;
  /**
   * A short-lived (60 s) ES256 JWS of the caller's identity for upstreams, signed with the
   * current signing key: an upstream verifies it against the same JWKS (`typ: conflux-consumer+jwt`).
   */
  signIdentity(claims: Record<string, unknown>): Promise<string>;
  registerClient(input: NewOAuthClient): Promise<{ record: OAuthClientRecord; secret: string }>;
  listClients(): Promise<OAuthClientRecord[]>;
  getClient(id: string): Promise<OAuthClientRecord>;
  disableClient(id: string): Promise<OAuthClientRecord>;
  createUser(input: { username: string; password: string; displayName: string }): Promise<OAuthUserRecord>;
  listUsers(): Promise<OAuthUserRecord[]>;
}

export function createOAuthServer(options: OAuthServerOptions): OAuthServer {
  const ttl = options.accessTokenTtlSeconds ?? 600;
  const authenticator = options.authenticator ?? createLocalAuthenticator(options.store);
  // A revoked grant must outlive every token it issued: one lifetime plus the gateway's skew.
  const revocations = createTokenRevocations({
    repository: options.store.oauth,
    maxTokenLifetimeMs: (ttl + 60) * 1000,
  });
  let provider: Provider | undefined;
  let callback: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let issuer: string | undefined;
  let keys: StoredSigningKey[] = [];
  // One object per key set: the gateway rebuilds its key resolver only when this changes.
  let published = publicJwks(keys);

  async function build(): Promise<void> {
    if (issuer === undefined) return;
    const cookieKeys = await loadCookieKeys(options.vault, () => randomBytes(32).toString('base64url'));
    // Loaded on first start only: CLI commands that never serve OAuth skip oidc-provider.
    const { createProvider } = await import('./provider.ts');
    const next = createProvider({
      issuer,
      store: options.store,
      vault: options.vault,
      consumers: options.consumers,
      signingKeys: keys,
      cookieKeys,
      accessTokenTtlSeconds: ttl,
      revocations,
      logger: options.logger,
      interactionPath: (uid) => `${new URL(issuer ?? '').pathname.replace(/\/$/, '')}/interaction/${uid}`,
    });
    provider = next;
    callback = next.callback();
  }

  async function client(id: string): Promise<OAuthClientRecord> {
    const record = await options.store.oauth.getClient(id);
    if (record === undefined)
      throw new ConfluxError('AUTH_OAUTH_CLIENT_NOT_FOUND', `No OAuth client with id ${id}.`, {
        details: { id },
      });
    return record;
  }

  return {
    ttlSeconds: ttl,
    async start(at) {
      issuer = at;
      keys = await loadSigningKeys(options.vault, Date.now());
      published = publicJwks(keys);
      await build();
    },
    issuer: () => issuer,
    async handle(req, res, prefix) {
      if (provider === undefined || callback === undefined) {
        throw new ConfluxError('AUTH_OAUTH_UNAVAILABLE', 'The OAuth authorization server has not started.');
      }
      const original = req.url ?? '/';
      const inner = original.slice(prefix.length) || '/';
      if (inner.startsWith('/interaction/')) {
        await handleInteraction(provider, authenticator, req, res, original);
        return;
      }
      // Mounted like an Express sub-app: the provider sees its own path, and `originalUrl`
      // lets it build absolute URLs under the prefix.
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = original;
      req.url = inner;
      callback(req, res);
    },
    jwks: () => published,
    isRevoked: (claims) => revocations.isRevoked(claims),
    async rotateSigningKey() {
      // Old keys stay published for one access-token lifetime plus a minute of clock skew.
      keys = await rotateSigningKeys(options.vault, Date.now(), ttl + 60);
      published = publicJwks(keys);
      await build();
      return { kid: String(keys[0]?.jwk.kid) };
    },
    async signIdentity(claims) {
      const key = keys[0];
      if (key === undefined || issuer === undefined)
        throw new ConfluxError('AUTH_OAUTH_UNAVAILABLE', 'The OAuth authorization server has not started.');
      const signingKey = await importJWK(key.jwk, 'ES256');
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: String(key.jwk.kid), typ: 'conflux-consumer+jwt' })
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime('60s')
        .sign(signingKey);
    },
    async registerClient(input) {
      const consumer = await options.store.consumers.get(input.consumer);
      if (consumer === undefined) {
        throw new ConfluxError(
          'AUTH_CONSUMER_NOT_FOUND',
          `No consumer named ${input.consumer}; create it first.`,
          { details: { consumer: input.consumer } },
        );
      }
      const wider = scopesBeyond(input.scopes, consumer.scopes);
      if (wider.length > 0) {
        throw new ConfluxError(
          'AUTH_SCOPE_TOO_WIDE',
          `The client asks for scopes consumer ${consumer.name} does not have: ${wider.join(', ')}.`,
          {
            details: { consumer: consumer.name, wider, allowed: consumer.scopes },
          },
        );
      }
      const code = input.grantTypes.includes('authorization_code');
      if (code && input.redirectUris.length === 0) {
        throw new ConfluxError(
          'AUTH_OAUTH_CLIENT_INVALID',
          'An authorization_code client needs at least one redirect URI (matched exactly).',
        );
      }
      for (const uri of input.redirectUris) {
        const parsed = URL.canParse(uri) ? new URL(uri) : undefined;
        const loopback =
          parsed !== undefined &&
          parsed.protocol === 'http:' &&
          ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
        if (parsed === undefined || parsed.hash !== '' || (parsed.protocol !== 'https:' && !loopback)) {
          throw new ConfluxError(
            'AUTH_OAUTH_CLIENT_INVALID',
            `Redirect URI ${uri} is not allowed; expected an absolute https URL (or http on loopback) without a fragment.`,
            {
              details: { redirectUri: uri },
            },
          );
        }
      }
      if (input.audiences.length === 0) {
        throw new ConfluxError(
          'AUTH_OAUTH_CLIENT_INVALID',
          'Name at least one audience (resource indicator, e.g. the API URL or name) the client may get tokens for.',
        );
      }
      const id = `cfxc_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').toLowerCase()}`;
      const secret = `cfxcs_${randomBytes(32).toString('base64url')}`;
      await options.vault.set(clientSecretName(id), secret);
      const record = await options.store.oauth.createClient({ id, ...input });
      return { record, secret };
    },
    listClients: () => options.store.oauth.listClients(),
    getClient: client,
    async disableClient(id) {
      await client(id);
      await options.store.oauth.disableClient(id, Date.now());
      await options.vault.delete(clientSecretName(id));
      return client(id);
    },
    async createUser(input) {
      if ((await options.store.oauth.getUser(input.username)) !== undefined) {
        throw new ConfluxError('AUTH_USER_EXISTS', `A user named ${input.username} exists already.`, {
          details: { username: input.username },
        });
      }
      return options.store.oauth.createUser({
        username: input.username,
        passwordHash: await hashPassword(input.password),
        displayName: input.displayName,
      });
    },
    listUsers: () => options.store.oauth.listUsers(),
  };
}
