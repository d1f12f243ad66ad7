import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO } from '../e2e/harness.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read answers field by field; a wrong read fails the test.
export type Json = any;

/** Runs the real CLI (asynchronously, so a server child's output keeps draining meanwhile). */
export function conflux(
  args: string[],
  input?: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), ...args],
      { cwd: REPO, env: { ...process.env, CONFLUX_LOG_LEVEL: 'warn', NO_COLOR: '1' }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ status: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}

/** `conflux … --json` that must succeed; its parsed answer. */
export async function ok(args: string[], input?: string): Promise<Json> {
  const result = await conflux([...args, '--json'], input);
  assert.equal(result.status, 0, `conflux ${args.join(' ')}: ${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** `conflux … --json` that must fail with exit 1 and this error code. */
export async function fails(args: string[], code: string): Promise<Json> {
  const result = await conflux([...args, '--json']);
  assert.equal(result.status, 1, `conflux ${args.join(' ')} should fail: ${result.stdout}`);
  const answer = JSON.parse(result.stdout);
  assert.equal(answer.error.code, code, result.stdout);
  return answer.error;
}

export async function eventually(check: () => Promise<boolean>, attempts = 60): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

/** The public API the CLI tests call with keys: GET /catalog/items proxied to `upstreamUrl`. */
export function catalogApi(upstreamUrl: string): string {
  return [
    'name: catalog',
    'basePath: /catalog',
    'visibility: public',
    'auth: { type: apiKey, header: x-api-key }',
    'routes:',
    `  - { method: GET, path: /items, url: '${upstreamUrl}/' }`,
    '',
  ].join('\n');
}

/** The partner API the CLI tests call with OAuth tokens: GET /stock/levels, scope stock:read. */
export function stockApi(upstreamUrl: string): string {
  return [
    'name: stock',
    'basePath: /stock',
    'visibility: partner',
    'auth: { type: oauth2, scopes: [stock:read] }',
    'routes:',
    `  - { method: GET, path: /levels, url: '${upstreamUrl}/' }`,
    '',
  ].join('\n');
}
