import type { IdentityAdmin } from '../admin/index.ts';
import {
  type AdminAuth,
  createAdminIdentity,
  createAuditLog,
  createConsumerService,
  createOAuthServer,
  type OAuthServer,
} from '../identity/index.ts';
import type { Logger } from '../observability/index.ts';
import type { Core } from './core.ts';

/**
 * Identity's parts for the admin API and the gateway: admin identities over the bootstrap
 * token, consumers and plans, the OAuth authorization server (started once the admin
 * listener's port is known) and the audit log.
 */
export function createIdentityWiring(
  core: Core,
  bootstrap: AdminAuth,
  logger: Logger,
): { admin: IdentityAdmin; oauth: OAuthServer } {
  const oauth = createOAuthServer({
    store: core.store,
    vault: core.vault,
    consumers: core.consumers,
    logger,
  });
  return {
    oauth,
    admin: {
      admins: createAdminIdentity({ bootstrap, store: core.store }),
      consumers: createConsumerService({ store: core.store, directory: core.consumers, keys: core.keys }),
      oauth,
      audit: createAuditLog(core.store.audit),
      auditEvents: core.store.audit,
    },
  };
}

/** What a token-authenticated consumer's record says now (the gateway's JWT policy asks). */
export function consumerFactsFrom(core: Core) {
  return async (name: string) => {
    const consumer = await core.consumers.resolve(name);
    return consumer === undefined
      ? undefined
      : {
          type: consumer.type,
          plan: consumer.plan,
          apis: consumer.apis,
          scopes: consumer.scopes,
          disabled: consumer.disabled,
          ...(consumer.planLimits === undefined ? {} : { planLimits: consumer.planLimits }),
        };
  };
}
