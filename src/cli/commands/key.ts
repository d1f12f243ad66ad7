import type { Command } from 'commander';
import { ConfluxError } from '../../errors/index.ts';
import { durationMs } from '../identity-options.ts';
import { withCore } from '../offline-core.ts';
import type { Output } from '../output.ts';

export function registerKey(program: Command, output: (json: boolean) => Output): void {
  const key = program.command('key').description('Manage API keys for gateway consumers');
  key
    .command('create')
    .description('Issue an API key (printed once; only its hash is stored)')
    .requiredOption('--consumer <name>', 'who the key belongs to')
    .option('--name <name>', 'a label for the key')
    .option('--scopes <list>', 'comma-separated scopes', '')
    .option('--expires-in <duration>', 'lifetime such as 30d, 12h, 90m')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(
      async (options: {
        consumer: string;
        name?: string;
        scopes: string;
        expiresIn?: string;
        project?: string;
        json?: boolean;
      }) => {
        const out = output(options.json === true);
        const expiresAt =
          options.expiresIn === undefined ? null : Date.now() + durationMs('expires-in', options.expiresIn);
        const scopes = options.scopes
          .split(',')
          .map((scope) => scope.trim())
          .filter((scope) => scope !== '');
        const issued = await withCore(options.project, (core) =>
          core.keys.create({
            consumer: options.consumer,
            name: options.name ?? options.consumer,
            scopes,
            expiresAt,
          }),
        );
        out.result({
          key: issued.key,
          id: issued.record.id,
          prefix: issued.record.prefix,
          consumer: issued.record.consumer,
        });
        out.line(`API key for ${issued.record.consumer} (id ${issued.record.id}); shown once, store it now:`);
        out.line(`  ${out.paint('green', issued.key)}`);
      },
    );
  key
    .command('list')
    .description('List API keys (prefixes only)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const keys = await withCore(options.project, (core) => core.keys.list());
      out.result(keys.map(({ hash: _hash, ...visible }) => visible));
      for (const record of keys) {
        const state =
          record.revokedAt !== null
            ? 'revoked'
            : record.expiresAt !== null && record.expiresAt < Date.now()
              ? 'expired'
              : 'active';
        out.line(`${record.id}  ${record.prefix}…  ${record.consumer}  ${state}`);
      }
    });
  key
    .command('revoke')
    .description('Revoke an API key by id')
    .argument('<id>', 'the key id (from "key list")')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const revoked = await withCore(options.project, (core) => core.keys.revoke(id));
      if (!revoked) throw new ConfluxError('STORE_NOT_FOUND', `No active API key with id ${id}.`);
      out.result({ id, revoked: true });
      out.line(`revoked ${id}`);
    });
}
