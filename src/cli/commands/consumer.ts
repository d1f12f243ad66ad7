import type { Command } from 'commander';
import { presentConsumer } from '../../identity/index.ts';
import type { ConsumerKind, ConsumerPatch, ConsumerRecord } from '../../store/index.ts';
import { type CliIdentity, withIdentity } from '../identity-core.ts';
import { badOption, checkName, contact, iso, names, scopes } from '../identity-options.ts';
import type { Output } from '../output.ts';

const TYPES: readonly ConsumerKind[] = ['internal', 'partner', 'public'];

interface ConsumerOptions {
  type?: string;
  description?: string;
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
  apis?: string;
  allApis?: boolean;
  /** A name, or false for --no-plan. */
  plan?: string | false;
  scopes?: string;
  project?: string;
  json?: boolean;
}

function kind(text: string): ConsumerKind {
  if (!(TYPES as readonly string[]).includes(text)) throw badOption('type', text, TYPES.join(', '));
  return text as ConsumerKind;
}

/** The fields an option set changes; undefined ones stay as they are. */
function patchOf(options: ConsumerOptions): ConsumerPatch {
  if (options.apis !== undefined && options.allApis === true)
    throw badOption('all-apis', '--apis as well', 'either --apis <list> or --all-apis');
  const reached = contact(options);
  return {
    ...(options.type === undefined ? {} : { type: kind(options.type) }),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(reached === undefined ? {} : { contact: reached }),
    ...(options.apis === undefined ? {} : { apis: names('apis', options.apis) }),
    ...(options.allApis === true ? { apis: null } : {}),
    ...(options.plan === undefined
      ? {}
      : { plan: options.plan === false ? null : checkName('plan', options.plan) }),
    ...(options.scopes === undefined ? {} : { scopes: scopes(options.scopes) }),
  };
}

function describe(out: Output, record: ConsumerRecord): void {
  const state = record.disabledAt === null ? out.paint('green', 'enabled') : out.paint('red', 'disabled');
  out.line(`${out.paint('bold', record.name)} (${record.type}, ${state})`);
  out.line(`  plan     ${record.plan ?? '-'}`);
  out.line(
    `  apis     ${record.apis === null ? 'every API its type may use' : record.apis.join(', ') || '-'}`,
  );
  out.line(`  scopes   ${record.scopes.join(' ') || '-'}`);
  const reach = [record.contact.name, record.contact.email, record.contact.phone].filter(Boolean).join(', ');
  if (reach !== '') out.line(`  contact  ${reach}`);
  if (record.description !== '') out.line(`  about    ${record.description}`);
}

/** Options that create and update share. */
function fieldOptions(command: Command): Command {
  return command
    .option('--description <text>', 'what the consumer is')
    .option('--contact-name <name>', 'who to reach')
    .option('--contact-email <email>', 'their e-mail address')
    .option('--contact-phone <phone>', 'their phone number')
    .option('--apis <list>', 'comma-separated APIs it may call')
    .option('--all-apis', 'may call every API its type allows (the default on create)')
    .option('--scopes <list>', 'comma-separated scopes: the widest set its credentials may carry')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output');
}

export function registerConsumer(program: Command, output: (json: boolean) => Output): void {
  const consumer = program
    .command('consumer')
    .description(
      'Manage consumers: who calls APIs, with which plan and scopes (offline, on the project store)',
    );

  fieldOptions(
    consumer
      .command('create')
      .description('Create a consumer')
      .argument('<name>', 'consumer name')
      .requiredOption('--type <type>', 'internal, partner or public (which API visibilities it may use)')
      .option('--plan <name>', 'its plan (create the plan first: conflux plan create)'),
  ).action(async (name: string, options: ConsumerOptions) => {
    const out = output(options.json === true);
    const patch = patchOf(options);
    const record = await withIdentity(options.project, async (identity) => {
      const created = await identity.consumers.create({
        name: checkName('name', name),
        type: patch.type ?? 'public',
        description: patch.description ?? '',
        contact: patch.contact ?? {},
        apis: patch.apis ?? null,
        plan: patch.plan ?? null,
        scopes: patch.scopes ?? [],
      });
      await identity.record({
        action: 'consumer.create',
        subject: `consumer:${created.name}`,
        status: 201,
        after: created,
      });
      return created;
    });
    out.result(presentConsumer(record));
    out.line(`created consumer ${record.name}`);
    describe(out, record);
  });

  consumer
    .command('list')
    .description('List consumers')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const records = await withIdentity(options.project, (identity) => identity.consumers.list());
      out.result(records.map(presentConsumer));
      if (records.length === 0) out.line('no consumers yet (conflux consumer create <name> --type public)');
      for (const record of records) {
        out.line(
          `${record.name}  ${record.type}  plan ${record.plan ?? '-'}  ${record.disabledAt === null ? 'enabled' : 'disabled'}`,
        );
      }
    });

  consumer
    .command('show')
    .description('One consumer, with its API keys (prefixes only) and OAuth clients')
    .argument('<name>', 'consumer name')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const { record, keys, clients } = await withIdentity(options.project, async (identity) => ({
        record: await identity.consumers.get(name),
        keys: await identity.core.keys.list({ consumer: name }),
        clients: (await identity.oauth.listClients()).filter((client) => client.consumer === name),
      }));
      out.result({
        ...presentConsumer(record),
        keys: keys.map((key) => ({
          id: key.id,
          prefix: key.prefix,
          scopes: key.scopes,
          expiresAt: iso(key.expiresAt),
          revokedAt: iso(key.revokedAt),
          lastUsedAt: iso(key.lastUsedAt),
        })),
        oauthClients: clients.map((client) => ({
          id: client.id,
          grantTypes: client.grantTypes,
          scopes: client.scopes,
          audiences: client.audiences,
          disabled: client.disabledAt !== null,
        })),
      });
      describe(out, record);
      for (const key of keys) {
        const state = key.revokedAt !== null ? 'revoked' : 'active';
        out.line(`  key      ${key.id}  ${key.prefix}…  ${state}`);
      }
      for (const client of clients) {
        out.line(
          `  client   ${client.id}  ${client.grantTypes.join(',')}  ${client.disabledAt === null ? 'active' : 'disabled'}`,
        );
      }
    });

  fieldOptions(
    consumer
      .command('update')
      .description('Change a consumer; a plan, scope or API change applies to its next request (≤ 2 s)')
      .argument('<name>', 'consumer name')
      .option('--type <type>', 'internal, partner or public')
      .option('--plan <name>', 'move it to this plan')
      .option('--no-plan', 'take it off its plan'),
  ).action(async (name: string, options: ConsumerOptions) => {
    const out = output(options.json === true);
    const patch = patchOf(options);
    if (Object.keys(patch).length === 0)
      throw badOption('update', 'no change', 'at least one option to change (see --help)');
    const after = await withIdentity(options.project, async (identity) => {
      const changed = await identity.consumers.update(name, patch);
      await identity.record({
        action: 'consumer.update',
        subject: `consumer:${name}`,
        status: 200,
        before: changed.before,
        after: changed.after,
      });
      return changed.after;
    });
    out.result(presentConsumer(after));
    out.line(`updated consumer ${after.name}`);
    describe(out, after);
  });

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    consumer
      .command(verb)
      .description(
        disabled
          ? 'Refuse every credential of the consumer (every gateway process within 2 s)'
          : 'Accept its credentials again',
      )
      .argument('<name>', 'consumer name')
      .option('--project <dir>', 'project folder (default: current folder)')
      .option('--json', 'machine-readable output')
      .action(async (name: string, options: { project?: string; json?: boolean }) => {
        const out = output(options.json === true);
        const after = await withIdentity(options.project, (identity) =>
          setDisabled(identity, name, disabled),
        );
        out.result(presentConsumer(after));
        out.line(`${disabled ? 'disabled' : 'enabled'} consumer ${after.name}`);
      });
  }
}

async function setDisabled(identity: CliIdentity, name: string, disabled: boolean): Promise<ConsumerRecord> {
  const { before, after } = await identity.consumers.setDisabled(name, disabled);
  await identity.record({
    action: 'consumer.update',
    subject: `consumer:${name}`,
    status: 200,
    before,
    after,
  });
  return after;
}
