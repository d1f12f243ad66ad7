import type { Command } from 'commander';
import { ConfluxError } from '../../errors/index.ts';
import { ADMIN_ROLES, isAdminRole } from '../../identity/index.ts';
import type { AdminPrincipalRecord } from '../../store/index.ts';
import { withIdentity } from '../identity-core.ts';
import { badOption, iso } from '../identity-options.ts';
import type { Output } from '../output.ts';

const NAME = /^[A-Za-z0-9][\w.@-]{0,127}$/;

function present(record: AdminPrincipalRecord): Record<string, unknown> {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    createdAt: iso(record.createdAt),
    revoked: record.revokedAt !== null,
    lastUsedAt: iso(record.lastUsedAt),
  };
}

export function registerAdmin(program: Command, output: (json: boolean) => Output): void {
  const admin = program
    .command('admin')
    .description('Manage admin identities and their roles (offline, on the project store)');
  const user = admin.command('user').description('Named admin identities, each with a role and a token');
  user
    .command('create')
    .description('Create an admin identity; prints its bearer token once')
    .argument('<name>', 'who it is (a person or an automation)')
    .requiredOption('--role <role>', ADMIN_ROLES.join(', '))
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { role: string; project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      if (!NAME.test(name))
        throw badOption(
          'name',
          name,
          'letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
        );
      const role = options.role;
      if (!isAdminRole(role)) throw badOption('role', role, ADMIN_ROLES.join(', '));
      const created = await withIdentity(options.project, async (identity) => {
        const result = await identity.admins.create({ name, role });
        await identity.record({
          action: 'admin-user.create',
          subject: `admin:${result.record.name}`,
          status: 201,
          after: result.record,
        });
        return result;
      });
      out.result({ token: created.token, user: present(created.record) });
      out.line(`admin identity ${created.record.name} (${created.record.role}); its token is shown once:`);
      out.line(`  ${out.paint('green', created.token)}`);
    });
  user
    .command('list')
    .description('List admin identities (never their tokens)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const records = await withIdentity(options.project, (identity) => identity.admins.list());
      out.result(records.map(present));
      for (const record of records)
        out.line(
          `${record.id}  ${record.name}  ${record.role}  ${record.revokedAt === null ? 'active' : 'revoked'}`,
        );
    });
  user
    .command('revoke')
    .description("Revoke an admin identity's token (every process within 2 s)")
    .argument('<id>', 'its id (from "admin user list")')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const revoked = await withIdentity(options.project, async (identity) => {
        const done = await identity.admins.revoke(id);
        if (done) await identity.record({ action: 'admin-user.revoke', subject: `admin:${id}`, status: 204 });
        return done;
      });
      if (!revoked) throw new ConfluxError('STORE_NOT_FOUND', `No active admin identity with id ${id}.`);
      out.result({ id, revoked: true });
      out.line(`revoked admin identity ${id}`);
    });
}
