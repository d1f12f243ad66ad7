import type { AdminRole } from '../store/index.ts';

/**
 * Admin roles, most to least powerful. A route declares the roles that may call it
 * (`config.roles` on the admin API); these groups name the usual combinations.
 *   owner      everything, including admin identities
 *   admin      everything but admin identities
 *   developer  projects, flows, runs, keys and OAuth clients of their apps; reads the rest
 *   viewer     reads configuration and state, never secrets or the audit trail
 *   auditor    reads the audit trail (and what viewers read)
 */
export const ADMIN_ROLES: readonly AdminRole[] = ['owner', 'admin', 'developer', 'viewer', 'auditor'];

export const ROLES = {
  /** Reading configuration and state. */
  read: ['owner', 'admin', 'developer', 'viewer', 'auditor'],
  /** Day-to-day changes: keys, flows, runs, OAuth clients. */
  operate: ['owner', 'admin', 'developer'],
  /** Changes to who may call what: consumers, plans, partners, secrets. */
  manage: ['owner', 'admin'],
  /** Admin identities themselves. */
  own: ['owner'],
  /** The audit trail. */
  audit: ['owner', 'admin', 'auditor'],
} as const satisfies Record<string, readonly AdminRole[]>;

export function isAdminRole(value: string): value is AdminRole {
  return (ADMIN_ROLES as readonly string[]).includes(value);
}
