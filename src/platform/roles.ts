import { ConfluxError } from '../errors/index.ts';

/**
 * What one `conflux start` process does. `gateway`: serves the routes and webhooks and queues
 * their runs; `worker`: claims and executes runs, fires schedules and poll/event/broker
 * triggers, prunes history; `admin`: serves the admin API (with /metrics and the OAuth server).
 */
export type Role = 'gateway' | 'worker' | 'admin';

export const ROLES: readonly Role[] = ['gateway', 'worker', 'admin'];

/**
 * Reads `--role` values: each a role, `all`, or a comma-separated list of them; none means all.
 * Throws CONFIG_INVALID for an unknown name.
 */
export function parseRoles(values: readonly string[]): ReadonlySet<Role> {
  const names = values
    .flatMap((value) => value.split(','))
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (names.length === 0 || names.includes('all')) return new Set(ROLES);
  const roles = new Set<Role>();
  for (const name of names) {
    if (!(ROLES as readonly string[]).includes(name)) {
      throw new ConfluxError(
        'CONFIG_INVALID',
        `Unknown role "${name}"; expected all, ${ROLES.join(', ')} or a comma-separated list of them.`,
        { details: { role: name, expected: ['all', ...ROLES] } },
      );
    }
    roles.add(name as Role);
  }
  return roles;
}

/**
 * The embedded store (SQLite) is served by exactly one process, so that process must execute
 * the runs: without the worker role, queued runs would wait for a worker that cannot exist.
 * PostgreSQL takes any split.
 */
export function checkRolesForStore(roles: ReadonlySet<Role>, embedded: boolean): void {
  if (!embedded || roles.has('worker')) return;
  const chosen = [...roles].join(',');
  throw new ConfluxError(
    'CONFIG_INVALID',
    `--role ${chosen} needs other processes to execute its runs, but the embedded SQLite store is served by one process only. Add the worker role (--role ${chosen},worker), start without --role, or set CONFLUX_DATABASE_URL to PostgreSQL to run gateway, worker and admin processes apart.`,
    { details: { roles: [...roles], store: 'sqlite', expected: 'roles including worker' } },
  );
}

export function describeRoles(roles: ReadonlySet<Role>): string {
  return ROLES.filter((role) => roles.has(role)).join(', ');
}
