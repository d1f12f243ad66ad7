import type { Command } from 'commander';
import { diffOpenApi } from '../../gateway/index.ts';
import { loadApiDocument } from '../../platform/index.ts';
import type { Output } from '../output.ts';
import { projectDirectory } from '../project-dir.ts';

/**
 * `conflux api diff <old> <new>`: the changelog between two versions of an API — added,
 * removed and changed operations, and the breaking changes. Each side is an OpenAPI file, a
 * project folder or a git ref of the project. Exits 1 with --fail-on-breaking when any break.
 */
export function registerApi(program: Command, output: (json: boolean) => Output): void {
  const api = program.command('api').description('Work with the APIs the gateway publishes');
  api
    .command('diff')
    .description('Compare two versions of an API: added, removed, changed and breaking operations')
    .argument('<old>', 'OpenAPI file, project folder, or git ref (e.g. HEAD~1, v1.2.0)')
    .argument('<new>', 'OpenAPI file, project folder, or git ref')
    .option('--api <name>', 'the API to compare (required when the project has several)')
    .option('--api-version <version>', "the API version to compare (default: the API's default version)")
    .option('--fail-on-breaking', 'exit 1 when there are breaking changes')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(
      async (
        before: string,
        after: string,
        options: {
          api?: string;
          apiVersion?: string;
          failOnBreaking?: boolean;
          project?: string;
          json?: boolean;
        },
      ) => {
        const out = output(options.json === true);
        const load = {
          projectRoot: projectDirectory(options.project),
          ...(options.api === undefined ? {} : { api: options.api }),
          ...(options.apiVersion === undefined ? {} : { version: options.apiVersion }),
        };
        const diff = diffOpenApi(await loadApiDocument(before, load), await loadApiDocument(after, load));
        out.result(diff);
        for (const operation of diff.added) out.line(`+ ${operation}`);
        for (const operation of diff.removed) out.line(`- ${operation}`);
        for (const change of diff.changed) {
          out.line(`~ ${change.operation}`);
          for (const text of change.changes) out.line(`    ${text}`);
        }
        out.line(
          `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.breaking.length} breaking`,
        );
        if (options.failOnBreaking === true && diff.breaking.length > 0) process.exitCode = 1;
      },
    );
}
