import { request } from 'undici';
import { ConfluxError } from '../../errors/index.ts';

export interface TokenAnswer {
  readonly accessToken: string;
  /** Epoch milliseconds; tokens without expires_in are treated as valid for an hour. */
  readonly expiresAt: number;
  readonly refreshToken?: string;
}

const DEFAULT_LIFETIME_S = 3600;

/**
 * One POST to an OAuth 2.0 token endpoint (RFC 6749 §4.4 / §6 / §4.1.3), client authenticated
 * with HTTP Basic when it has a secret. A 400/401 answer (invalid_grant, invalid_client) means
 * the credentials are refused: SYSTEM_AUTH_FAILED with `invalid: true`; anything else is transient.
 * Error bodies are reduced to their `error` code: they may echo what was sent.
 */
export async function requestToken(options: {
  readonly system: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly form: Record<string, string>;
  readonly now: number;
  readonly timeoutMs: number;
}): Promise<TokenAnswer> {
  const form = new URLSearchParams(options.form);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (options.clientSecret === undefined) form.set('client_id', options.clientId);
  else {
    const basic = `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  }
  let status: number;
  let body: unknown;
  try {
    const answer = await request(options.tokenUrl, {
      method: 'POST',
      headers,
      body: form.toString(),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    status = answer.statusCode;
    const text = await answer.body.text();
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  } catch (cause) {
    throw new ConfluxError(
      'SYSTEM_AUTH_FAILED',
      `The token endpoint of system ${options.system} cannot be reached.`,
      {
        details: { system: options.system, tokenUrl: options.tokenUrl, retryable: true, invalid: false },
        cause,
      },
    );
  }
  const json = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (status < 200 || status >= 300 || typeof json.access_token !== 'string') {
    const code = typeof json.error === 'string' ? json.error : undefined;
    const refused = status === 400 || status === 401;
    throw new ConfluxError(
      'SYSTEM_AUTH_FAILED',
      `The token endpoint of system ${options.system} answered HTTP ${status}${code === undefined ? '' : ` (${code})`}; expected an access token.`,
      {
        details: {
          system: options.system,
          tokenUrl: options.tokenUrl,
          status,
          error: code,
          retryable: !refused,
          invalid: refused,
        },
      },
    );
  }
  const lifetime =
    typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in ?? DEFAULT_LIFETIME_S);
  return {
    accessToken: json.access_token,
    expiresAt: options.now + (Number.isFinite(lifetime) ? lifetime : DEFAULT_LIFETIME_S) * 1000,
    ...(typeof json.refresh_token === 'string' ? { refreshToken: json.refresh_token } : {}),
  };
}
