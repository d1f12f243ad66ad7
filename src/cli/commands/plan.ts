import type { Command } from 'commander';
import type { PlanPatch, PlanRecord } from '../../store/index.ts';
import { withIdentity } from '../identity-core.ts';
import { badOption, checkName, iso, names, quota, rateLimit, scopes } from '../identity-options.ts';
import type { Output } from '../output.ts';

interface PlanOptions {
  description?: string;
  /** A limit, or false for --no-rate-limit. */
  rateLimit?: string | false;
  quota?: string | false;
  apis?: string;
  allApis?: boolean;
  scopes?: string;
  anyScopes?: boolean;
  project?: string;
  json?: boolean;
}

function present(record: PlanRecord): Record<string, unknown> {
  return { ...record, createdAt: iso(record.createdAt), updatedAt: iso(record.updatedAt) };
}

function patchOf(options: PlanOptions): PlanPatch {
  if (options.apis !== undefined && options.allApis === true)
    throw badOption('all-apis', '--apis as well', 'either --apis <list> or --all-apis');
  if (options.scopes !== undefined && options.anyScopes === true)
    throw badOption('any-scopes', '--scopes as well', 'either --scopes <list> or --any-scopes');
  return {
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.rateLimit === undefined
      ? {}
      : { rateLimit: options.rateLimit === false ? null : rateLimit(options.rateLimit) }),
    ...(options.quota === undefined ? {} : { quota: options.quota === false ? null : quota(options.quota) }),
    ...(options.apis === undefined ? {} : { apis: names('apis', options.apis) }),
    ...(options.allApis === true ? { apis: null } : {}),
    ...(options.scopes === undefined ? {} : { scopes: scopes(options.scopes) }),
    ...(options.anyScopes === true ? { scopes: [] } : {}),
  };
}

function describe(out: Output, record: PlanRecord): void {
  out.line(out.paint('bold', record.name));
  const limit = record.rateLimit;
  out.line(
    `  rate limit  ${limit === null ? "-  (the API file's tier of this name applies)" : `${limit.requests} per ${limit.perSeconds} s`}`,
  );
  const allowance = record.quota;
  out.line(
    `  quota       ${allowance === null ? "-  (the API file's tier of this name applies)" : `${allowance.requests} per ${allowance.period}`}`,
  );
  out.line(`  apis        ${record.apis === null ? 'any' : record.apis.join(', ') || '-'}`);
  out.line(`  scopes      ${record.scopes.length === 0 ? "any of the consumer's" : record.scopes.join(' ')}`);
  if (record.description !== '') out.line(`  about       ${record.description}`);
}

function fieldOptions(command: Command): Command {
  return command
    .option('--description <text>', 'what the plan is for')
    .option('--rate-limit <limit>', 'requests per window, e.g. 100/minute, 10/second, 500/30s')
    .option('--quota <quota>', 'requests per period, e.g. 10000/day (hour, day, month)')
    .option('--apis <list>', 'comma-separated APIs its consumers may call')
    .option('--all-apis', 'no API restriction (the default on create)')
    .option('--scopes <list>', "comma-separated scopes; narrows its consumers' scopes")
    .option('--any-scopes', 'no scope restriction (the default on create)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output');
}

export function registerPlan(program: Command, output: (json: boolean) => Output): void {
  const plan = program
    .command('plan')
    .description(
      'Manage plans: rate limit, quota, allowed APIs and scopes of their consumers (offline, on the project store)',
    );

  fieldOptions(plan.command('create').description('Create a plan').argument('<name>', 'plan name')).action(
    async (name: string, options: PlanOptions) => {
      const out = output(options.json === true);
      const patch = patchOf(options);
      const record = await withIdentity(options.project, async (identity) => {
        const created = await identity.consumers.createPlan({
          name: checkName('name', name),
          description: patch.description ?? '',
          rateLimit: patch.rateLimit ?? null,
          quota: patch.quota ?? null,
          apis: patch.apis ?? null,
          scopes: patch.scopes ?? [],
        });
        await identity.record({
          action: 'plan.create',
          subject: `plan:${created.name}`,
          status: 201,
          after: created,
        });
        return created;
      });
      out.result(present(record));
      out.line(`created plan ${record.name}`);
      describe(out, record);
    },
  );

  plan
    .command('list')
    .description('List plans')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const records = await withIdentity(options.project, (identity) => identity.consumers.listPlans());
      out.result(records.map(present));
      if (records.length === 0) out.line('no plans yet (conflux plan create <name> --rate-limit 100/minute)');
      for (const record of records) {
        const limit =
          record.rateLimit === null ? '-' : `${record.rateLimit.requests}/${record.rateLimit.perSeconds}s`;
        const allowance = record.quota === null ? '-' : `${record.quota.requests}/${record.quota.period}`;
        out.line(`${record.name}  rate ${limit}  quota ${allowance}`);
      }
    });

  plan
    .command('show')
    .description('One plan, and the consumers on it')
    .argument('<name>', 'plan name')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const { record, consumers } = await withIdentity(options.project, async (identity) => ({
        record: await identity.consumers.getPlan(name),
        consumers: (await identity.consumers.list()).filter((consumer) => consumer.plan === name),
      }));
      out.result({ ...present(record), consumers: consumers.map((consumer) => consumer.name) });
      describe(out, record);
      out.line(`  consumers   ${consumers.map((consumer) => consumer.name).join(', ') || '-'}`);
    });

  fieldOptions(
    plan
      .command('update')
      .description("Change a plan; its consumers' next requests follow it (≤ 2 s on every process)")
      .argument('<name>', 'plan name'),
  )
    // After their positive forms: declared first, commander would default them to true.
    .option('--no-rate-limit', "drop the plan's own rate limit")
    .option('--no-quota', "drop the plan's own quota")
    .action(async (name: string, options: PlanOptions) => {
      const out = output(options.json === true);
      const patch = patchOf(options);
      if (Object.keys(patch).length === 0)
        throw badOption('update', 'no change', 'at least one option to change (see --help)');
      const after = await withIdentity(options.project, async (identity) => {
        const changed = await identity.consumers.updatePlan(name, patch);
        await identity.record({
          action: 'plan.update',
          subject: `plan:${name}`,
          status: 200,
          before: changed.before,
          after: changed.after,
        });
        return changed.after;
      });
      out.result(present(after));
      out.line(`updated plan ${after.name}`);
      describe(out, after);
    });

  plan
    .command('delete')
    .description('Delete a plan no consumer uses')
    .argument('<name>', 'plan name')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      await withIdentity(options.project, async (identity) => {
        const before = await identity.consumers.deletePlan(name);
        await identity.record({ action: 'plan.delete', subject: `plan:${name}`, status: 204, before });
      });
      out.result({ name, deleted: true });
      out.line(`deleted plan ${name}`);
    });
}
