import { ConfluxError } from '../../errors/index.ts';
import type { SystemAuth } from '../../project/index.ts';
import { hmacSignature } from '../auth/hmac-signature.ts';
import type { TokenManager } from '../auth/token-manager.ts';

export interface Credentials {
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
  /** Mutual TLS: client certificate and key (PEM), and the CA when the system's is private. */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca?: string };
  /** Request signing (HMAC): headers computed from the final request. */
  readonly sign?: (request: {
    readonly method: string;
    readonly path: string;
    readonly body?: string;
  }) => Record<string, string>;
  /** The OAuth access token sent, so that a 401 can name it as rejected. */
  readonly token?: string;
}

export interface CredentialContext {
  readonly system: string;
  /** Needed for OAuth systems: fetches, caches and refreshes their tokens. */
  readonly tokens?: TokenManager;
  /** A token the system just refused (401): a fresh one is obtained instead. */
  readonly rejected?: string;
  readonly now?: () => number;
}

/**
 * What authenticates a call to a system, with secret values fetched by name at call time (so
 * rotated secrets apply without a reload). The result holds secret values: put it on the wire,
 * never in logs or errors.
 */
export async function resolveCredentials(
  auth: SystemAuth,
  resolveSecret: (name: string) => Promise<string>,
  context?: CredentialContext,
): Promise<Credentials> {
  switch (auth.type) {
    case 'none':
      return { headers: {}, query: {} };
    case 'apiKey': {
      const value = await resolveSecret(auth.secret);
      if (auth.in === 'header') return { headers: { [auth.name.toLowerCase()]: value }, query: {} };
      if (auth.in === 'cookie')
        return { headers: { cookie: `${auth.name}=${encodeURIComponent(value)}` }, query: {} };
      return { headers: {}, query: { [auth.name]: value } };
    }
    case 'bearer':
      return { headers: { authorization: `Bearer ${await resolveSecret(auth.secret)}` }, query: {} };
    case 'basic': {
      const token = Buffer.from(`${auth.username}:${await resolveSecret(auth.secret)}`).toString('base64');
      return { headers: { authorization: `Basic ${token}` }, query: {} };
    }
    case 'oauth2ClientCredentials':
    case 'oauth2AuthorizationCode': {
      if (context?.tokens === undefined) {
        throw new ConfluxError(
          'SYSTEM_AUTH_FAILED',
          `System ${context?.system ?? ''} uses OAuth 2.0, but no token manager is configured here.`,
          {
            details: { system: context?.system, retryable: false },
          },
        );
      }
      const token = await context.tokens.accessToken(context.system, auth, context.rejected);
      return { headers: { authorization: `Bearer ${token}` }, query: {}, token };
    }
    case 'hmac': {
      const key = await resolveSecret(auth.secret);
      const now = context?.now ?? Date.now;
      return {
        headers: {},
        query: {},
        sign: (request) => {
          const timestamp = Math.floor(now() / 1000);
          return {
            [auth.timestampHeader.toLowerCase()]: String(timestamp),
            [auth.header.toLowerCase()]: hmacSignature(key, auth.algorithm, request, timestamp),
          };
        },
      };
    }
    case 'mtls': {
      const [cert, key, ca] = await Promise.all([
        resolveSecret(auth.cert),
        resolveSecret(auth.key),
        auth.ca === undefined ? Promise.resolve(undefined) : resolveSecret(auth.ca),
      ]);
      return { headers: {}, query: {}, tls: { cert, key, ...(ca === undefined ? {} : { ca }) } };
    }
  }
}
