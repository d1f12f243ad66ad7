import type { Command } from 'commander';
import { ConfluxError } from '../../errors/index.ts';
import { withCore } from '../offline-core.ts';
import type { Output } from '../output.ts';

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
      const value = (await readStdin()).replace(/\r?\n$/, '');
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

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY === true) process.stderr.write('value (end with Ctrl-D): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
