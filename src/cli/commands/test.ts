import type { Command } from 'commander';
import { readSettings, runProjectTests } from '../../platform/index.ts';
import type { Output } from '../output.ts';
import { projectDirectory } from '../project-dir.ts';
import { runGatewaySpecs } from './test-gateway.ts';

/**
 * `conflux test`: runs the project's tests — mapping tests (`mappings/*.test.yaml`) and flow
 * tests (`flows/*.test.yaml`) — prints a diff per failure and exits 1 when any failed.
 * `--record` fills the flow tests' responses from the real (or mock) systems, secrets scrubbed.
 */
export function registerTest(program: Command, output: (json: boolean) => Output): void {
  program
    .command('test')
    .description('Run the flow and mapping tests beside the project files')
    .option('--record', 'call the systems (real or mock) and write their answers into flows/*.test.yaml')
    .option(
      '--gateway',
      'run the gateway conformance specs (specs/*.spec.yaml) against the project started in-process',
    )
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (options: { record?: boolean; gateway?: boolean; project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      if (options.gateway === true) return runGatewaySpecs(projectDirectory(options.project), out);
      const results = await runProjectTests(projectDirectory(options.project), {
        settings: readSettings(process.env),
        record: options.record === true,
      });
      const failed = results.filter((result) => !result.passed);
      out.result({ passed: results.length - failed.length, failed: failed.length, results });
      for (const result of results) {
        out.line(`${result.passed ? 'ok  ' : 'FAIL'} ${result.kind} ${result.name}  (${result.file})`);
        for (const problem of result.problems) out.line(`       ${problem}`);
      }
      out.line(`${results.length - failed.length} passed, ${failed.length} failed`);
      if (failed.length > 0) process.exitCode = 1;
    });
}
