import { createHash } from 'node:crypto';
import type { Logger } from '../../observability/index.ts';
import type { SystemAuth, SystemDefinition } from '../../project/index.ts';
import type { ConnectionHealthTracker } from './connection-health.ts';
import { type TokenManager, type TokenVault, tokenSecretNames } from './token-manager.ts';

export interface CredentialWatchOptions {
  readonly health: ConnectionHealthTracker;
  /** The systems of the running project generation. */
  readonly systems: () => ReadonlyMap<string, SystemDefinition>;
  readonly resolveSecret: (name: string) => Promise<string>;
  /** OAuth systems: a rotated client secret or a new connect is checked by fetching a token. */
  readonly tokens?: TokenManager;
  readonly vault?: TokenVault;
  readonly logger: Logger;
  /** How often invalid connections are looked at (default 5 s). */
  readonly intervalMs?: number;
}

/** The vault entries a system's credentials are made of (the refresh token a connect writes, too). */
function secretNames(system: string, auth: SystemAuth): string[] {
  switch (auth.type) {
    case 'none':
      return [];
    case 'mtls':
      return [auth.cert, auth.key, ...(auth.ca === undefined ? [] : [auth.ca])];
    case 'oauth2AuthorizationCode':
      return [...(auth.secret === undefined ? [] : [auth.secret]), tokenSecretNames(system).refresh];
    default:
      return [auth.secret];
  }
}

/**
 * Notices when the credentials of an `invalid` connection are rotated (`conflux secret set`,
 * `conflux system connect`, a changed auth block), so that the flows it paused resume. A
 * fingerprint (hash of the auth block and its secret values) is taken when the connection
 * turns invalid; when it changes, an OAuth system fetches a fresh token (success makes it `ok`),
 * any other becomes `unknown` until its next call proves the new credentials.
 */
export function createCredentialWatch(options: CredentialWatchOptions) {
  const taken = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void> = Promise.resolve();

  async function fingerprint(system: SystemDefinition): Promise<string> {
    const hash = createHash('sha256').update(JSON.stringify(system.auth));
    for (const name of secretNames(system.name, system.auth)) {
      const value = await options.resolveSecret(name).catch(() => '\u0000missing');
      hash.update('\u0000').update(name).update('\u0000').update(value);
    }
    return hash.digest('hex');
  }

  async function rotated(system: SystemDefinition): Promise<void> {
    const auth = system.auth;
    if (auth.type !== 'oauth2ClientCredentials' && auth.type !== 'oauth2AuthorizationCode') {
      options.health.set(system.name, 'unknown', 'credentials changed; the next call checks them');
      return;
    }
    if (options.tokens === undefined) return;
    // The stored token was refused: name it so that a fresh one is fetched with the new credentials.
    const access = tokenSecretNames(system.name).access;
    const stale =
      options.vault !== undefined && (await options.vault.has(access))
        ? await options.vault.get(access)
        : undefined;
    await options.tokens
      .accessToken(system.name, auth, stale)
      .catch((error: unknown) =>
        options.logger.warn({ system: system.name, err: error }, 'rotated credentials were refused too'),
      );
  }

  async function check(): Promise<void> {
    for (const system of options.systems().values()) {
      if (options.health.get(system.name).state !== 'invalid') {
        taken.delete(system.name);
        continue;
      }
      const current = await fingerprint(system);
      const before = taken.get(system.name);
      taken.set(system.name, current);
      if (before === undefined || before === current) continue;
      options.logger.info(
        { system: system.name },
        'credentials of an invalid connection changed; checking them',
      );
      await rotated(system);
    }
  }

  /** One check at a time: a slow vault never stacks checks up. */
  const once = (): Promise<void> => {
    checking = checking.then(check).catch((error: unknown) => {
      options.logger.error({ err: error }, 'credential check failed');
    });
    return checking;
  };

  return {
    /** Takes the fingerprint of a connection that just turned invalid (before any rotation). */
    invalidated: (): Promise<void> => once(),
    check: once,
    start(): void {
      timer ??= setInterval(() => void once(), options.intervalMs ?? 5000);
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await checking;
    },
  };
}

export type CredentialWatch = ReturnType<typeof createCredentialWatch>;
