import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import {
  type AdminIdentity,
  type ConsumerService,
  createAdminIdentity,
  createAuditLog,
  createConsumerService,
  createOAuthServer,
  type OAuthServer,
} from '../identity/index.ts';
import type { Core } from '../platform/index.ts';
import { withCore } from './offline-core.ts';

/**
 * Identity's services over a project's store, for the CLI's offline commands (`consumer`,
 * `plan`, `partner`, `oauth`, `admin`) — the same services the admin API calls, so the same
 * rules apply (a plan must exist, key and client scopes within the consumer's, ...).
 *
 * Offline, like `conflux key`: whoever can open the project's store and key-encryption key
 * holds everything an owner holds, so no admin token is asked; every change is still recorded
 * in the audit trail, with actor type `cli` and the operating-system user as actor.
 */
export interface CliIdentity {
  readonly core: Core;
  readonly consumers: ConsumerService;
  /** Client and user management only: the authorization server itself is not started. */
  readonly oauth: OAuthServer;
  readonly admins: AdminIdentity;
  record(change: {
    action: string;
    subject: string;
    status?: number;
    before?: unknown;
    after?: unknown;
  }): Promise<void>;
}

export function withIdentity<T>(
  projectOption: string | undefined,
  use: (identity: CliIdentity) => Promise<T>,
): Promise<T> {
  return withCore(projectOption, (core) => use(identityOf(core)));
}

/** Identity's services over an open core (also the running server's, for the demo partner). */
export function identityOf(core: Core): CliIdentity {
  const audit = createAuditLog(core.store.audit);
  // One correlation id per command: the events of one invocation group together.
  const correlationId = randomUUID();
  const actor = { name: `cli:${osUser()}`, role: 'owner' };
  return {
    core,
    consumers: createConsumerService({ store: core.store, directory: core.consumers, keys: core.keys }),
    oauth: createOAuthServer({
      store: core.store,
      vault: core.vault,
      consumers: core.consumers,
      logger: core.logger,
    }),
    admins: createAdminIdentity({ store: core.store }),
    record: (change) => audit.recordChange({ ...change, actor, actorType: 'cli', correlationId }),
  };
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the uid still says who it was.
    return String(process.getuid?.() ?? 'unknown');
  }
}
