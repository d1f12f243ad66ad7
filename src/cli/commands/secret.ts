import type { Command } from 'commander';
import { ConfluxError } from '../../errors/index.ts';
import { withCore } from '../offline-core.ts';
import type { Output } from '../output.ts';
import { readStdin } from './read-stdin.ts';

export function registerSecret(program: Command, output: (json: boolean) => Output): void {
  const secret = program
    .command('secret')
    .description('Manage the encrypted secrets systems use as credentials');
  secret
    .command('set')
    .description('Store a secret; the value is read from standard input, never from the command line')
    .argument('<name>', 'secret name, as referenced by a system (e.g. crm-api-key)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const value = (await readStdin('value (end with Ctrl-D): ')).replace(/\r?\n$/, '');
      if (value === '')
        throw new ConfluxError(
          'HTTP_BAD_REQUEST',
          'No secret value on standard input; pipe it in, e.g. `printf %s "$TOKEN" | conflux secret set NAME`.',
        );
      await withCore(options.project, (core) => core.vault.set(name, value));
      out.result({ name, stored: true });
      out.line(`stored secret ${name}`);
    });
  secret
    .command('list')
    .description('List secret names (never values)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (options: { project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const names = await withCore(options.project, (core) => core.vault.list());
      out.result(names);
      for (const name of names) out.line(name);
    });
}
