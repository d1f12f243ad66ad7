import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '../../observability/index.ts';
import { readSettings } from '../../platform/index.ts';
import { loadSystemDescription, startMockServer } from '../../systems/index.ts';
import type { Output } from '../output.ts';

export function registerMock(program: Command, output: (json: boolean) => Output): void {
  program
    .command('mock')
    .description(
      'Serve a system from its OpenAPI document: validated requests, example or generated answers, CRUD state',
    )
    .argument('<openapi-file>', 'OpenAPI 2.0 / 3.0 / 3.1 document (JSON or YAML)')
    .option('--port <port>', 'port to listen on', '4010')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--json', 'machine-readable output')
    .action(async (file: string, options: { port: string; host: string; json?: boolean }) => {
      const out = output(options.json === true);
      const description = await loadSystemDescription(resolve(file));
      const logger = createLogger({ level: readSettings(process.env).logLevel, stderr: out.json });
      const server = await startMockServer(description, {
        host: options.host,
        port: Number(options.port),
        logger,
      });
      out.result({ url: server.url, title: description.title, operations: description.operations.size });
      out.line(`Mock of ${out.paint('bold', description.title)} ${description.version} at ${server.url}`);
      out.line(`  ${description.operations.size} operations; calls counted at ${server.url}/__mock/calls`);
      for (const warning of description.warnings.slice(0, 5))
        out.line(`  warning ${warning.pointer}: ${warning.message}`);
      const stop = () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
