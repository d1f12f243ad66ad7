import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO, 'src/cli/main.ts');

/** A copy of a project in a temp folder, so its .conflux state belongs to one test. */
export function copyProject(source: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'conflux-e2e-'));
  cpSync(source, dir, { recursive: true, filter: (path) => !path.includes('.conflux') });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ConfluxProcess {
  readonly child: ChildProcess;
  /** Empty for a process without the gateway role. */
  readonly gatewayUrl: string;
  /** Empty for a process without the admin role. */
  readonly adminUrl: string;
  readonly adminToken: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Starts `conflux start` as a real process on ephemeral ports and waits for its banner.
 * The admin token is fixed through the environment so tests can call the admin API.
 */
export async function startConflux(
  project: string,
  options: {
    env?: Record<string, string>;
    args?: string[];
    timeoutMs?: number;
    command?: 'start' | 'dev';
  } = {},
): Promise<ConfluxProcess> {
  const adminToken = 'test-admin-token-0123456789';
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, options.command ?? 'start', '--project', project, ...(options.args ?? [])],
    {
      cwd: REPO,
      env: {
        ...process.env,
        CONFLUX_GATEWAY_PORT: '0',
        CONFLUX_ADMIN_PORT: '0',
        CONFLUX_GATEWAY_HOST: '127.0.0.1',
        CONFLUX_ADMIN_TOKEN: adminToken,
        CONFLUX_LOG_LEVEL: 'info',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    // The banner is written whole, so once its roles line is there so are the listeners' URLs
    // (a process without the gateway or admin role prints none: its URL stays empty).
    if (/^ {2}roles {6}\S/m.test(text)) {
      const gateway = /^ {2}gateway {4}(http:\/\/\S+)/m.exec(text)?.[1] ?? '';
      const admin = /^ {2}admin API {2}(http:\/\/\S+)/m.exec(text)?.[1] ?? '';
      return { child, gatewayUrl: gateway, adminUrl: admin, adminToken, output: () => text, exited };
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`conflux did not start:\n${text}`);
}

export function stopConflux(proc: ConfluxProcess): Promise<number | null> {
  if (proc.child.exitCode !== null) return Promise.resolve(proc.child.exitCode);
  proc.child.kill('SIGTERM');
  return proc.exited;
}
