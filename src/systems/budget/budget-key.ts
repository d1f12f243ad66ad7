import type { SystemAuth, SystemDefinition } from '../../project/index.ts';
import type { BudgetSpec } from './budget-state.ts';

/**
 * The key a system's calls are counted under: the system, or with `perCredential` the
 * credential it calls with, so that systems sharing one vendor account (the same secret, the
 * same OAuth client) share one budget. Names, never secret values, make up the key.
 */
export function budgetKey(system: SystemDefinition): string {
  if (system.limits?.perCredential !== true) return `system:${system.name}`;
  const credential = credentialName(system.auth);
  return credential === undefined ? `system:${system.name}` : `credential:${credential}`;
}

function credentialName(auth: SystemAuth): string | undefined {
  switch (auth.type) {
    case 'none':
      return undefined;
    case 'basic':
      return `basic:${auth.username}:${auth.secret}`;
    case 'oauth2ClientCredentials':
    case 'oauth2AuthorizationCode':
      return `oauth:${auth.tokenUrl}:${auth.clientId}`;
    case 'mtls':
      return `mtls:${auth.cert}`;
    default:
      return `${auth.type}:${auth.secret}`;
  }
}

/** The declared limits in the arithmetic's units (budget-state.ts). */
export function budgetSpec(system: SystemDefinition, leaseMs: number): BudgetSpec {
  const limits = system.limits;
  const perSecond = limits?.rate?.perSecond;
  return {
    ...(perSecond === undefined ? {} : { intervalMs: 1000 / perSecond }),
    // Without a declared burst calls are evenly spaced: no second ever sees more than the rate.
    burst: limits?.rate?.burst ?? 1,
    ...(limits?.concurrency === undefined ? {} : { concurrency: limits.concurrency }),
    leaseMs,
  };
}
