import Provider, { errors } from 'oidc-provider';
import type { Logger } from '../../observability/index.ts';
import type { OAuthClientRecord, Store } from '../../store/index.ts';
import type { ConsumerDirectory } from '../consumer-directory.ts';
import { clientSecretName } from './client-secret-name.ts';
import { escapeHtml } from './escape-html.ts';
import { publicJwks, type SigningKeyVault, type StoredSigningKey } from './signing-keys.ts';
import { createStoreAdapterFactory } from './store-adapter.ts';
import { structuredTokenEndpoints } from './structured-tokens.ts';
import { grantReference, type TokenRevocations } from './token-revocations.ts';
import { createTokenThrottle } from './token-throttle.ts';

export interface ProviderOptions {
  readonly issuer: string;
  readonly store: Pick<Store, 'oauth' | 'consumers'>;
  readonly vault: SigningKeyVault;
  readonly consumers: ConsumerDirectory;
  readonly signingKeys: readonly StoredSigningKey[];
  readonly cookieKeys: readonly string[];
  readonly accessTokenTtlSeconds: number;
  /** Revoked JWT access tokens and grants (the gateway checks the same list). */
  readonly revocations: TokenRevocations;
  readonly logger: Logger;
  /** Path of the login and consent pages, `{uid}` replaced (mounted beside the provider). */
  readonly interactionPath: (uid: string) => string;
}

/**
 * oidc-provider configured to RFC 9700: authorization code with PKCE S256 (required for every
 * client) and client credentials only; JWT access tokens (`typ: at+jwt`, RFC 9068) whose
 * audience is a resource indicator (RFC 8707) the client is registered for; refresh tokens
 * rotated on every use, a replayed one revoking its whole grant; `iss` in every authorization
 * response (RFC 9207); introspection and revocation, of the JWT access tokens too
 * (structured-tokens.ts); exact redirect URIs.
 */
export function createProvider(options: ProviderOptions): Provider {
  const { store } = options;
  const throttle = createTokenThrottle({ maxFailures: 10, windowSeconds: 60 });

  async function clientMetadata(id: string): Promise<Record<string, unknown> | undefined> {
    const client = await store.oauth.getClient(id);
    if (client === undefined || client.disabledAt !== null) return undefined;
    const consumer = await options.consumers.resolve(client.consumer);
    if (consumer === undefined || consumer.disabled) return undefined;
    const secret = await options.vault.get(clientSecretName(id)).catch(() => undefined);
    if (secret === undefined) return undefined;
    const authorizationCode = client.grantTypes.includes('authorization_code');
    return {
      client_id: client.id,
      client_secret: secret,
      client_name: client.name,
      grant_types: [...client.grantTypes],
      redirect_uris: authorizationCode ? [...client.redirectUris] : [],
      response_types: authorizationCode ? ['code'] : [],
      token_endpoint_auth_method: 'client_secret_basic',
      'urn:conflux:consumer': client.consumer,
    };
  }

  async function clientRecordFor(clientId: string): Promise<{ client: OAuthClientRecord; scopes: string[] }> {
    const client = await store.oauth.getClient(clientId);
    const consumer = client === undefined ? undefined : await options.consumers.resolve(client.consumer);
    if (client === undefined || consumer === undefined)
      throw new errors.InvalidTarget('the client is not registered for this resource');
    return { client, scopes: grantableScopes(client, consumer.scopes) };
  }

  const provider = new Provider(options.issuer, {
    adapter: createStoreAdapterFactory(store.oauth, clientMetadata, (grantId) =>
      options.revocations.revokeGrant(grantId),
    ),
    jwks: { keys: options.signingKeys.map((key) => key.jwk) },
    cookies: { keys: [...options.cookieKeys] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access'],
    claims: { openid: ['sub'] },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256'],
      userinfoSigningAlgValues: ['ES256'],
      introspectionSigningAlgValues: ['ES256'],
    },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: options.accessTokenTtlSeconds,
      ClientCredentials: options.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      Interaction: 600,
      Grant: 14 * 24 * 3600,
      Session: 24 * 3600,
      IdToken: options.accessTokenTtlSeconds,
      RefreshToken: 14 * 24 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Introspection and revocation answer only the client a token was issued to. The
      // provider serves opaque refresh tokens; structured-tokens.ts the JWT access tokens.
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) =>
          token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) =>
          token.clientId === client.clientId,
      },
      userinfo: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (
          ctx: { oidc: { client?: { clientId: string } } },
          _client: unknown,
          oneOf?: string,
        ) => {
          if (oneOf !== undefined) return oneOf;
          const clientId = ctx.oidc.client?.clientId;
          if (clientId === undefined) return undefined;
          return (await store.oauth.getClient(clientId))?.audiences[0];
        },
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, resource: string, client: { clientId: string }) => {
          const { client: record, scopes } = await clientRecordFor(client.clientId);
          if (!record.audiences.includes(resource))
            throw new errors.InvalidTarget(`the client may not request tokens for ${resource}`);
          return {
            scope: scopes.join(' '),
            audience: resource,
            accessTokenTTL: options.accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    extraTokenClaims: async (_ctx: unknown, token: { clientId?: string; grantId?: string }) => {
      if (token.clientId === undefined) return undefined;
      const client = await store.oauth.getClient(token.clientId);
      if (client === undefined) return undefined;
      // `gid` ties a token to its grant, so revoking the grant reaches tokens already issued.
      return {
        consumer: client.consumer,
        ...(token.grantId === undefined ? {} : { gid: grantReference(token.grantId) }),
      };
    },
    findAccount: async (_ctx: unknown, id: string) => {
      const user = await store.oauth.getUser(id);
      if (user === undefined || user.disabledAt !== null) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, name: user.displayName }) };
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => options.interactionPath(interaction.uid),
    },
    renderError: (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Sign-in error</title><h1>${escapeHtml(out.error ?? 'error')}</h1><p>${escapeHtml(out.error_description ?? '')}</p>`;
    },
  });
  provider.proxy = false;

  provider.use(async (ctx, next) => {
    if (
      ctx.path === '/auth' &&
      ctx.method === 'GET' &&
      (typeof ctx.query.state !== 'string' || ctx.query.state === '')
    ) {
      // state is required (CSRF defence in depth beside PKCE); refused before any redirect.
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: 'state is required' };
      return;
    }
    const isToken = ctx.method === 'POST' && ctx.path === '/token';
    if (!isToken) return next();
    // Per client and address: guessing one client's secret slows down without locking out
    // every other client behind the same address.
    const keys = [`${basicClientId(ctx.headers.authorization)}@${ctx.ip}`];
    const wait = throttle.retryAfter(keys);
    if (wait > 0) {
      ctx.status = 429;
      ctx.set('retry-after', String(wait));
      ctx.body = { error: 'slow_down', error_description: 'too many failed token requests; retry later' };
      return;
    }
    await next();
    if (ctx.status >= 400) throttle.fail(keys);
  });
  provider.use(
    structuredTokenEndpoints({
      issuer: options.issuer,
      jwks: publicJwks(options.signingKeys),
      revocations: options.revocations,
      stillAllowed: async (clientId) => {
        const client = await store.oauth.getClient(clientId);
        if (client === undefined || client.disabledAt !== null) return false;
        const consumer = await options.consumers.resolve(client.consumer);
        return consumer !== undefined && !consumer.disabled;
      },
    }),
  );
  provider.on('server_error', (_ctx, error) => options.logger.error({ err: error }, 'oauth server error'));
  return provider;
}

/** A client gets the scopes it was registered with that its consumer (and plan) still grant. */
function grantableScopes(client: OAuthClientRecord, consumerScopes: readonly string[]): string[] {
  const allowed = new Set(consumerScopes);
  return client.scopes.filter((scope) => allowed.has(scope));
}

function basicClientId(header: string | string[] | undefined): string {
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return '-';
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decodeURIComponent(decoded.split(':')[0] ?? '-');
}
