import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfluxError } from '../../errors/index.ts';
import type { OAuth2AuthorizationCodeAuth } from '../../project/index.ts';
import { createPkce } from './pkce.ts';
import { requestToken } from './token-endpoint.ts';
import { type TokenVault, tokenSecretNames } from './token-manager.ts';

export interface ConnectFlow {
  /** Open this in a browser: the authorization server's consent page. */
  readonly authorizeUrl: string;
  readonly redirectUri: string;
  /** Resolves once the user consented and the tokens are in the vault. */
  readonly done: Promise<void>;
  close(): Promise<void>;
}

/**
 * The one-time connect of an on-behalf-of system (RFC 8252 loopback redirect): listens on
 * 127.0.0.1, sends the user to the authorize URL with PKCE S256 and a state, checks the state on
 * the way back, exchanges the code and stores the refresh token (and access token) in the vault.
 */
export async function startConnectFlow(options: {
  readonly system: string;
  readonly auth: OAuth2AuthorizationCodeAuth;
  readonly vault: TokenVault;
  readonly port?: number;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}): Promise<ConnectFlow> {
  const pkce = createPkce();
  const now = options.now ?? Date.now;
  let settle: { resolve(): void; reject(error: unknown): void } | undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    void complete(url).then(
      () => {
        res
          .writeHead(200, { 'content-type': 'text/plain' })
          .end(`${options.system} is connected; you can close this window.`);
        settle?.resolve();
      },
      (error: unknown) => {
        res
          .writeHead(400, { 'content-type': 'text/plain' })
          .end(error instanceof Error ? error.message : 'connect failed');
        settle?.reject(error);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  const authorize = new URL(options.auth.authorizeUrl);
  authorize.searchParams.set('response_type', 'code');
  authorize.searchParams.set('client_id', options.auth.clientId);
  authorize.searchParams.set('redirect_uri', redirectUri);
  authorize.searchParams.set('state', pkce.state);
  authorize.searchParams.set('code_challenge', pkce.challenge);
  authorize.searchParams.set('code_challenge_method', 'S256');
  if (options.auth.scopes.length > 0) authorize.searchParams.set('scope', options.auth.scopes.join(' '));
  const timer = setTimeout(
    () =>
      settle?.reject(
        new ConfluxError(
          'SYSTEM_AUTH_FAILED',
          `Nobody completed the connect of system ${options.system} in time.`,
          { details: { system: options.system, retryable: false } },
        ),
      ),
    options.timeoutMs ?? 300_000,
  );
  const close = () =>
    new Promise<void>((resolve) => {
      clearTimeout(timer);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  void done.then(close, close);

  async function complete(url: URL): Promise<void> {
    const failure = (message: string) =>
      new ConfluxError('SYSTEM_AUTH_FAILED', message, {
        details: { system: options.system, retryable: false, invalid: true },
      });
    if (url.searchParams.get('state') !== pkce.state)
      throw failure(`The connect of system ${options.system} came back with a wrong state; start it again.`);
    const error = url.searchParams.get('error');
    if (error !== null)
      throw failure(`The authorization server refused the connect of system ${options.system} (${error}).`);
    const code = url.searchParams.get('code');
    if (code === null) throw failure(`The connect of system ${options.system} came back without a code.`);
    const clientSecret =
      options.auth.secret === undefined ? undefined : await options.vault.get(options.auth.secret);
    const answer = await requestToken({
      system: options.system,
      tokenUrl: options.auth.tokenUrl,
      clientId: options.auth.clientId,
      ...(clientSecret === undefined ? {} : { clientSecret }),
      form: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: pkce.verifier,
      },
      now: now(),
      timeoutMs: 10_000,
    });
    if (answer.refreshToken === undefined)
      throw failure(
        `The authorization server gave system ${options.system} no refresh token; ask for offline access.`,
      );
    const names = tokenSecretNames(options.system);
    await options.vault.set(names.access, answer.accessToken);
    await options.vault.set(names.expires, String(answer.expiresAt));
    await options.vault.set(names.refresh, answer.refreshToken);
  }

  return { authorizeUrl: authorize.toString(), redirectUri, done, close };
}
