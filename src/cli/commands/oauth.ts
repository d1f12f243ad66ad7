import type { Command } from 'commander';
import { ConfluxError } from '../../errors/index.ts';
import type { OAuthClientRecord } from '../../store/index.ts';
import { withIdentity } from '../identity-core.ts';
import { badOption, checkName, iso, list, scopes } from '../identity-options.ts';
import type { Output } from '../output.ts';
import { readStdin } from './read-stdin.ts';

const GRANTS = ['client_credentials', 'authorization_code', 'refresh_token'] as const;
const USERNAME = /^[A-Za-z0-9][\w.@-]{0,127}$/;

function presentClient(record: OAuthClientRecord): Record<string, unknown> {
  const { disabledAt, createdAt, ...rest } = record;
  return { ...rest, disabled: disabledAt !== null, createdAt: iso(createdAt) };
}

export function registerOAuth(program: Command, output: (json: boolean) => Output): void {
  const oauth = program
    .command('oauth')
    .description("Manage the authorization server's clients and users (offline, on the project store)");
  const client = oauth.command('client').description('OAuth clients of consumers');
  client
    .command('create')
    .description('Register an OAuth client for a consumer; prints its secret once')
    .requiredOption('--consumer <name>', 'the consumer the client acts for')
    .requiredOption(
      '--audiences <list>',
      'resource indicators it may get tokens for, e.g. urn:conflux:api:orders',
    )
    .option('--name <name>', 'a label (default: the consumer name)')
    .option(
      '--grant-types <list>',
      'client_credentials, authorization_code and/or refresh_token',
      'client_credentials',
    )
    .option('--redirect-uris <list>', 'exact redirect URIs (authorization_code)')
    .option('--scopes <list>', "scopes it may ask for (a subset of the consumer's)")
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(
      async (options: {
        consumer: string;
        audiences: string;
        name?: string;
        grantTypes: string;
        redirectUris?: string;
        scopes?: string;
        project?: string;
        json?: boolean;
      }) => {
        const out = output(options.json === true);
        const grantTypes = list(options.grantTypes).map((grant) => {
          if (!(GRANTS as readonly string[]).includes(grant))
            throw badOption('grant-types', grant, GRANTS.join(', '));
          return grant as (typeof GRANTS)[number];
        });
        const audiences = list(options.audiences);
        for (const audience of audiences)
          if (!URL.canParse(audience))
            throw badOption('audiences', audience, 'absolute URIs, e.g. urn:conflux:api:orders');
        const registered = await withIdentity(options.project, async (identity) => {
          const result = await identity.oauth.registerClient({
            consumer: checkName('consumer', options.consumer),
            name: options.name ?? options.consumer,
            grantTypes,
            redirectUris: options.redirectUris === undefined ? [] : list(options.redirectUris),
            scopes: options.scopes === undefined ? [] : scopes(options.scopes),
            audiences,
          });
          await identity.record({
            action: 'oauth-client.create',
            subject: `oauth-client:${result.record.id}`,
            status: 201,
            after: result.record,
          });
          return result;
        });
        out.result({
          clientId: registered.record.id,
          clientSecret: registered.secret,
          client: presentClient(registered.record),
        });
        out.line(`OAuth client for ${registered.record.consumer}; the secret is shown once, store it now:`);
        out.line(`  client id:     ${registered.record.id}`);
        out.line(`  client secret: ${out.paint('green', registered.secret)}`);
      },
    );
  client
    .command('list')
    .description('List OAuth clients (never their secrets)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const clients = await withIdentity(options.project, (identity) => identity.oauth.listClients());
      out.result(clients.map(presentClient));
      for (const record of clients) {
        out.line(
          `${record.id}  ${record.consumer}  ${record.grantTypes.join(',')}  ${record.disabledAt === null ? 'active' : 'disabled'}`,
        );
      }
    });
  client
    .command('disable')
    .description('Disable an OAuth client: no new tokens; its secret is erased')
    .argument('<id>', 'client id (from "oauth client list")')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const after = await withIdentity(options.project, async (identity) => {
        const before = await identity.oauth.getClient(id);
        const disabled = await identity.oauth.disableClient(id);
        await identity.record({
          action: 'oauth-client.disable',
          subject: `oauth-client:${id}`,
          status: 204,
          before,
          after: disabled,
        });
        return disabled;
      });
      out.result(presentClient(after));
      out.line(`disabled OAuth client ${id}`);
    });

  const user = oauth
    .command('user')
    .description('Users the authorization server signs in (local user store)');
  user
    .command('create')
    .description('Add a user; the password is read from standard input, never from the command line')
    .argument('<username>', 'sign-in name')
    .option('--display-name <name>', 'the name shown on the consent page')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (username: string, options: { displayName?: string; project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      if (!USERNAME.test(username))
        throw badOption(
          'username',
          username,
          'letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
        );
      const password = (await readStdin('password (end with Ctrl-D): ')).replace(/\r?\n$/, '');
      if (password.length < 12) {
        throw new ConfluxError(
          'HTTP_BAD_REQUEST',
          'The password on standard input is shorter than 12 characters; pipe it in, e.g. `printf %s "$PASSWORD" | conflux oauth user create NAME`.',
        );
      }
      const created = await withIdentity(options.project, async (identity) => {
        const record = await identity.oauth.createUser({
          username,
          password,
          displayName: options.displayName ?? username,
        });
        await identity.record({
          action: 'oauth-user.create',
          subject: `user:${record.username}`,
          status: 201,
          after: { username: record.username, displayName: record.displayName },
        });
        return record;
      });
      out.result({ username: created.username, displayName: created.displayName });
      out.line(`created user ${created.username}`);
    });
  user
    .command('list')
    .description('List users')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const users = await withIdentity(options.project, (identity) => identity.oauth.listUsers());
      out.result(
        users.map((record) => ({
          username: record.username,
          displayName: record.displayName,
          disabled: record.disabledAt !== null,
        })),
      );
      for (const record of users) out.line(`${record.username}  ${record.displayName}`);
    });
}
