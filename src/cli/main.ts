#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { isConfluxError } from '../errors/index.ts';
import { registerAdmin } from './commands/admin.ts';
import { registerApi } from './commands/api.ts';
import { registerConsumer } from './commands/consumer.ts';
import { registerFlow } from './commands/flow.ts';
import { registerInit } from './commands/init.ts';
import { registerKey } from './commands/key.ts';
import { registerMock } from './commands/mock.ts';
import { registerOAuth } from './commands/oauth.ts';
import { registerPartner } from './commands/partner.ts';
import { registerPlan } from './commands/plan.ts';
import { registerRuns } from './commands/runs.ts';
import { registerSecret } from './commands/secret.ts';
import { registerStart } from './commands/start.ts';
import { registerSystem } from './commands/system.ts';
import { registerTest } from './commands/test.ts';
import { registerValidate } from './commands/validate.ts';
import { createOutput } from './output.ts';
import { VERSION } from './version.ts';

const output = (json: boolean) => createOutput({ json, env: process.env });

const program = new Command('conflux')
  .description('Conflux: API gateway, integration engine and agent layer in one program')
  .version(VERSION, '-v, --version')
  .showHelpAfterError()
  // Options belong to the command they follow. `runs` both lists and has subcommands taking
  // the same options: otherwise `runs show <id> --project x` and `runs replay --all --flow y`
  // gave those options to the listing.
  .enablePositionalOptions()
  .exitOverride();

program
  .command('version')
  .description('Print the version')
  .option('--json', 'machine-readable output')
  .action((options: { json?: boolean }) => {
    const out = output(options.json === true);
    out.result({ version: VERSION, node: process.version });
    out.line(`conflux ${VERSION} (node ${process.version})`);
  });
registerInit(program, output);
registerStart(program, output);
registerValidate(program, output);
registerMock(program, output);
registerKey(program, output);
registerConsumer(program, output);
registerPlan(program, output);
registerPartner(program, output);
registerOAuth(program, output);
registerAdmin(program, output);
registerSecret(program, output);
registerRuns(program, output);
registerFlow(program, output);
registerTest(program, output);
registerSystem(program, output);
registerApi(program, output);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    const json = process.argv.includes('--json');
    if (isConfluxError(error)) {
      if (json)
        process.stdout.write(
          `${JSON.stringify({ error: { code: error.code, message: error.message, ...error.details } }, null, 2)}\n`,
        );
      else {
        output(false).error(`${error.code}: ${error.message}`);
        const problems = error.details.problems;
        if (Array.isArray(problems)) {
          for (const p of problems as { file: string; line: number; column: number; message: string }[]) {
            output(false).error(`  ${p.file}:${p.line}:${p.column} ${p.message}`);
          }
        }
      }
    } else {
      output(false).error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    process.exitCode = 1;
  }
}
