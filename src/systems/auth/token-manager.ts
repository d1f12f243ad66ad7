import { setTimeout as sleep } from 'node:timers/promises';
import { ConfluxError } from '../../errors/index.ts';
import type { Logger } from '../../observability/index.ts';
import type { OAuth2AuthorizationCodeAuth, OAuth2ClientCredentialsAuth } from '../../project/index.ts';
import type { ConnectionHealthTracker } from './connection-health.ts';
import { requestToken, type TokenAnswer } from './token-endpoint.ts';
import type { TokenLock } from './token-lock.ts';

export type OAuthAuth = OAuth2ClientCredentialsAuth | OAuth2AuthorizationCodeAuth;

/** The part of the vault tokens live in: encrypted at rest, scrubbed from logs and run history. */
export interface TokenVault {
  get(name: string): Promise<string>;
  set(name: string, value: string): Promise<void>;
  has(name: string): Promise<boolean>;
}

export interface TokenManagerOptions {
  readonly vault: TokenVault;
  readonly lock: TokenLock;
  readonly health: ConnectionHealthTracker;
  readonly logger: Logger;
  readonly now?: () => number;
  /** How long one token request may take (default 10 s); also the lease of the refresh lock. */
  readonly timeoutMs?: number;
  /** How often a worker waiting for another's refresh looks for the result (default 50 ms). */
  readonly pollMs?: number;
}

export interface TokenManager {
  /**
   * A valid access token for the system: from memory, else from the vault (another worker's
   * refresh), else fetched — by exactly one caller per process and one worker at a time across
   * processes. `rejected` is a token the system just refused with 401: it is never answered again.
   */
  accessToken(system: string, auth: OAuthAuth, rejected?: string): Promise<string>;
}

/** Vault names of a system's token state; documented in docs/connectors.md. */
export const tokenSecretNames = (system: string) => ({
  access: `system.${system}.access-token`,
  expires: `system.${system}.access-token-expires`,
  refresh: `system.${system}.refresh-token`,
});

interface Held {
  readonly accessToken: string;
  readonly expiresAt: number;
}

export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pollMs = options.pollMs ?? 50;
  const memory = new Map<string, Held>();
  const flights = new Map<string, Promise<Held>>();

  const usable = (held: Held | undefined, auth: OAuthAuth, rejected: string | undefined): held is Held =>
    held !== undefined &&
    held.accessToken !== rejected &&
    held.expiresAt - auth.refreshBeforeSeconds * 1000 > now();

  async function readShared(system: string): Promise<Held | undefined> {
    const names = tokenSecretNames(system);
    // Expiry first, token second: the writer stores them in the other order, so a torn read
    // can only pair a new token with an old expiry, which looks stale and is re-checked under the lock.
    if (!(await options.vault.has(names.expires))) return undefined;
    const expiresAt = Number(await options.vault.get(names.expires));
    if (!(await options.vault.has(names.access))) return undefined;
    return { accessToken: await options.vault.get(names.access), expiresAt };
  }

  async function fetchToken(system: string, auth: OAuthAuth): Promise<TokenAnswer> {
    const clientSecret = auth.secret === undefined ? undefined : await options.vault.get(auth.secret);
    const names = tokenSecretNames(system);
    let form: Record<string, string>;
    if (auth.type === 'oauth2ClientCredentials') {
      form = { grant_type: 'client_credentials' };
      if (auth.scopes.length > 0) form.scope = auth.scopes.join(' ');
      if (auth.audience !== undefined) form.audience = auth.audience;
    } else {
      if (!(await options.vault.has(names.refresh))) {
        throw new ConfluxError(
          'SYSTEM_AUTH_FAILED',
          `System ${system} is not connected; run "conflux system connect ${system}" to authorise it.`,
          {
            details: { system, retryable: false, invalid: true },
          },
        );
      }
      form = { grant_type: 'refresh_token', refresh_token: await options.vault.get(names.refresh) };
    }
    return requestToken({
      system,
      tokenUrl: auth.tokenUrl,
      clientId: auth.clientId,
      ...(clientSecret === undefined ? {} : { clientSecret }),
      form,
      now: now(),
      timeoutMs,
    });
  }

  async function store(system: string, answer: TokenAnswer): Promise<void> {
    const names = tokenSecretNames(system);
    await options.vault.set(names.access, answer.accessToken);
    await options.vault.set(names.expires, String(answer.expiresAt));
    // Servers that rotate refresh tokens invalidate the old one now: keep the new one.
    if (answer.refreshToken !== undefined) await options.vault.set(names.refresh, answer.refreshToken);
  }

  async function obtain(system: string, auth: OAuthAuth, rejected: string | undefined): Promise<Held> {
    const deadline = now() + timeoutMs * 3;
    while (now() < deadline) {
      const shared = await readShared(system);
      if (usable(shared, auth, rejected)) return shared;
      const release = await options.lock.acquire(system, timeoutMs * 2);
      if (release === undefined) {
        await sleep(pollMs);
        continue;
      }
      let again: Held | undefined;
      try {
        again = await readShared(system);
        if (usable(again, auth, rejected)) return again;
        const answer = await fetchToken(system, auth);
        await store(system, answer);
        options.health.set(system, 'ok');
        options.logger.info(
          { system, expiresAt: new Date(answer.expiresAt).toISOString() },
          'system access token refreshed',
        );
        return answer;
      } catch (error) {
        const invalid = error instanceof ConfluxError && error.details.invalid === true;
        const reason = error instanceof Error ? error.message : String(error);
        if (invalid) options.health.set(system, 'invalid', reason);
        else if (again !== undefined && again.accessToken !== rejected && again.expiresAt > now()) {
          // The refresh failed for now, but the current token still works until it lapses.
          options.health.set(system, 'expiring', reason);
          options.logger.warn(
            { system, err: error },
            'token refresh failed; using the current token until it expires',
          );
          return again;
        }
        throw error;
      } finally {
        await release();
      }
    }
    throw new ConfluxError(
      'SYSTEM_AUTH_FAILED',
      `Waited too long for another worker to refresh the token of system ${system}.`,
      {
        details: { system, retryable: true, invalid: false },
      },
    );
  }

  return {
    async accessToken(system, auth, rejected) {
      const held = memory.get(system);
      if (usable(held, auth, rejected)) return held.accessToken;
      let flight = flights.get(system);
      if (flight === undefined) {
        flight = obtain(system, auth, rejected).finally(() => flights.delete(system));
        flights.set(system, flight);
      }
      const result = await flight;
      memory.set(system, result);
      return result.accessToken;
    },
  };
}
