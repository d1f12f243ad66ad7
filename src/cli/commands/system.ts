import type { Command } from 'commander';
import { ConfluxError } from '../../errors/index.ts';
import { loadProject } from '../../project/index.ts';
import { addSystem, startConnectFlow } from '../../systems/index.ts';
import { withCore } from '../offline-core.ts';
import type { Output } from '../output.ts';
import { projectDirectory } from '../project-dir.ts';

export function registerSystem(program: Command, output: (json: boolean) => Output): void {
  const system = program
    .command('system')
    .description('Systems: the external applications a project connects');
  system
    .command('add')
    .description(
      'Create systems/<name>.yaml from an OpenAPI 2/3.x, AsyncAPI 2/3 or WSDL document (copied into specs/)',
    )
    .argument('<name>', 'system name: lowercase letters, digits and dashes')
    .requiredOption('--from <file>', 'the API description to import')
    .option('--base-url <url>', 'where the system lives (default: mock, served from the description)')
    .option('--description <text>', 'one line saying what the system is (default: the document title)')
    .option('--force', 'replace an existing system file')
    .option('--project <dir>', 'project folder (default: the current folder)')
    .option('--json', 'machine-readable output')
    .action(
      async (
        name: string,
        options: {
          from: string;
          baseUrl?: string;
          description?: string;
          force?: boolean;
          project?: string;
          json?: boolean;
        },
      ) => {
        const out = output(options.json === true);
        const result = await addSystem({
          projectRoot: projectDirectory(options.project),
          name,
          from: options.from,
          ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
          ...(options.description === undefined ? {} : { description: options.description }),
          force: options.force === true,
        });
        out.result(result);
        out.line(
          `Added ${out.paint('bold', name)} (${result.kind}: ${result.title}) with ${result.operations.length} operations`,
        );
        out.line(`  ${result.systemFile}`);
        out.line(`  ${result.specFile}`);
        for (const warning of result.warnings.slice(0, 20))
          out.line(`  warning ${warning.pointer || '/'}: ${warning.message}`);
        if (result.warnings.length > 20)
          out.line(`  … ${result.warnings.length - 20} more warnings (--json lists all)`);
      },
    );
  system
    .command('connect')
    .description(
      'Authorise an oauth2AuthorizationCode system once: open the printed URL, consent, and the refresh token is stored in the vault',
    )
    .argument('<name>', 'system name')
    .option(
      '--port <port>',
      'loopback port for the redirect (register http://127.0.0.1:<port>/callback with the provider)',
      '0',
    )
    .option('--project <dir>', 'project folder (default: the current folder)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { port: string; project?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const { project } = await loadProject(projectDirectory(options.project));
      const system = project?.systems.get(name);
      if (system === undefined || system.auth.type !== 'oauth2AuthorizationCode') {
        throw new ConfluxError(
          'SYSTEM_NOT_FOUND',
          `No system "${name}" with auth type oauth2AuthorizationCode in this project.`,
          { details: { system: name } },
        );
      }
      const auth = system.auth;
      await withCore(options.project, async (core) => {
        const flow = await startConnectFlow({
          system: name,
          auth,
          vault: core.vault,
          port: Number(options.port),
        });
        out.line(`Open this URL to connect ${out.paint('bold', name)}:\n  ${flow.authorizeUrl}`);
        await flow.done;
        out.result({ system: name, connected: true });
        out.line(`${name} is connected; its refresh token is in the vault.`);
      });
    });
}
