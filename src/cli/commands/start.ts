import type { Command } from 'commander';
import type { RunningPlatform } from '../../platform/index.ts';
import { watchProject } from '../../project/index.ts';
import type { Output } from '../output.ts';
import { projectDirectory } from '../project-dir.ts';
import { VERSION } from '../version.ts';
import { demoPartnerLines, seedDemoPartner } from './demo-partner.ts';

const DEMO_KEY_TTL_MS = 24 * 60 * 60 * 1000;

interface StartOptions {
  project?: string;
  demoKey?: boolean;
  role?: string[];
}

/** `--role` may repeat and take comma lists; the values are read by the platform (roles.ts). */
function collectRoles(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerStart(program: Command, output: (json: boolean) => Output): void {
  program
    .command('start')
    .description('Start the gateway, the engine and the admin API for a project (or some of them: --role)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option(
      '--role <roles>',
      'what this process does: all (default), gateway, worker, admin; repeat or comma-separate (on embedded SQLite it must include worker)',
      collectRoles,
    )
    .option('--demo-key', 'issue an API key for consumer "demo" (valid 24 h) and print it')
    .action(async (options: StartOptions) => {
      await serve(options, output(false), false);
    });
  program
    .command('dev')
    .description('Start like "start", and reload the project whenever one of its files changes')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--demo-key', 'issue an API key for consumer "demo" (valid 24 h) and print it')
    .action(async (options: StartOptions) => {
      await serve(options, output(false), true);
    });
}

async function serve(options: StartOptions, out: Output, watch: boolean): Promise<void> {
  const root = projectDirectory(options.project);
  // Loaded here, not at the top: `conflux --help` and light commands should not pay for it.
  const { describeRoles, parseRoles, startPlatform } = await import('../../platform/index.ts');
  const platform = await startPlatform({
    projectRoot: root,
    env: process.env,
    version: VERSION,
    roles: parseRoles(options.role ?? []),
  });
  installSignalHandlers(platform);
  const demoKey =
    options.demoKey === true
      ? await platform.core.keys.create({
          consumer: 'demo',
          name: 'demo key from conflux start',
          expiresAt: Date.now() + DEMO_KEY_TTL_MS,
        })
      : undefined;
  const demoPartner = options.demoKey === true ? await seedDemoPartner(platform, root) : undefined;
  // The banner is written in one piece, so whoever reads it (a person, a test) sees it whole.
  const banner = [
    `${out.paint('bold', 'Conflux')} ${VERSION} serving ${root}`,
    `  roles      ${describeRoles(platform.roles)}`,
  ];
  if (platform.roles.has('gateway')) banner.push(`  gateway    ${platform.gatewayUrl}`);
  if (platform.roles.has('admin'))
    banner.push(`  admin API  ${platform.adminUrl}   (metrics: ${platform.adminUrl}/metrics)`);
  if (platform.roles.has('worker'))
    banner.push(`  worker     executing runs from the ${platform.core.store.dialect} store`);
  if (platform.generatedAdminToken !== undefined) {
    banner.push('  admin token (shown once; set CONFLUX_ADMIN_TOKEN to choose your own):');
    banner.push(`    ${out.paint('yellow', platform.generatedAdminToken)}`);
  }
  if (demoKey !== undefined) {
    banner.push('  demo API key (consumer "demo", expires in 24 h):');
    banner.push(`    ${out.paint('green', demoKey.key)}`);
  }
  if (demoPartner !== undefined) banner.push(...demoPartnerLines(demoPartner, out));
  out.line(banner.join('\n'));
  if (watch) {
    const watcher = watchProject(
      root,
      () => {
        platform.reload().then(
          (result) => {
            if (result.applied) out.line(out.paint('green', 'project reloaded'));
            else
              out.error(
                `project change rejected (still serving the last good version):\n${result.problems
                  .map((p) => `  ${p.file}:${p.line}:${p.column} ${p.message}`)
                  .join('\n')}`,
              );
          },
          (error: unknown) => out.error(`reload failed: ${String(error)}`),
        );
      },
      { debounceMs: 200 },
    );
    process.once('exit', () => watcher.close());
  }
}

function installSignalHandlers(platform: RunningPlatform): void {
  const shutdown = (signal: string) => {
    platform.logger.info({ signal }, 'signal received');
    platform.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        platform.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
