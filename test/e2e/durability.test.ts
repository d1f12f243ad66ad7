import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type ConfluxProcess, REPO, startConflux, stopConflux } from './harness.ts';
import { Ledger, writeSliceProject } from './slice-fixture.ts';

const SECRET = 'ledger-secret-Zx81-do-not-leak';
let dir: string;
let ledger: Ledger;
const running: ConfluxProcess[] = [];

function cli(args: string[], input?: string): string {
  return execFileSync(
    process.execPath,
    ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), ...args, '--project', dir],
    {
      cwd: REPO,
      input,
      env: { ...process.env, CONFLUX_LOG_LEVEL: 'warn' },
    },
  ).toString();
}

async function start(): Promise<ConfluxProcess> {
  const proc = await startConflux(dir);
  running.push(proc);
  return proc;
}

async function admin<T>(proc: ConfluxProcess, path: string): Promise<T> {
  const response = await fetch(`${proc.adminUrl}${path}`, {
    headers: { authorization: `Bearer ${proc.adminToken}` },
  });
  return (await response.json()) as T;
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  ledger = new Ledger();
  await ledger.start();
  dir = mkdtempSync(join(tmpdir(), 'conflux-slice-'));
  writeSliceProject(dir, ledger.url);
  cli(['secret', 'set', 'ledger-key'], SECRET);
});

after(async () => {
  for (const proc of running) {
    if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
  }
  await ledger.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('SIGKILL during a run: after restart the run completes and no completed step runs again', async () => {
  ledger.hold();
  const first = await start();
  const accepted = await fetch(`${first.gatewayUrl}/hooks/book`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 12.5 }),
  });
  assert.equal(accepted.status, 202);
  const { runId } = (await accepted.json()) as { runId: string };
  await until(async () => (ledger.count('/slow') > 0 ? true : undefined), 10_000, 'the slow step to start');
  assert.equal(ledger.effects.get('/entries'), 1, 'step "first" ran once before the crash');

  first.child.kill('SIGKILL');
  await first.exited;
  ledger.release();

  const second = await start();
  const run = await until(
    async () => {
      const current = await admin<{
        status: string;
        steps: { stepId: string; attempts: number }[];
        output: unknown;
      }>(second, `/api/v1/runs/${runId}`);
      return current.status === 'succeeded' ? current : undefined;
    },
    20_000,
    'the resumed run to succeed',
  );
  assert.deepEqual(
    run.steps.map((step) => step.stepId),
    ['prepare', 'first', 'second', 'third'],
  );
  // "first" completed before the crash: never called again. "third" ran once, after restart.
  const entryCalls = ledger.requests.filter((request) => request.path === '/entries');
  assert.equal(entryCalls.length, 2, 'createEntry was called once for "first" and once for "third"');
  assert.deepEqual(
    entryCalls.map((request) => request.headers['idempotency-key']),
    [`${runId}:first`, `${runId}:third`],
  );
  // "second" was in flight at the crash: repeated with the same idempotency key.
  const slowKeys = new Set(
    ledger.requests.filter((r) => r.path === '/slow').map((r) => r.headers['idempotency-key']),
  );
  assert.deepEqual([...slowKeys], [`${runId}:second`]);
  assert.equal(await stopConflux(second), 0);
});

test('secrets reach the system but never the logs, the admin API or the database file', async () => {
  const proc = await start();
  const issued = JSON.parse(cli(['key', 'create', '--consumer', 'tester', '--json'])) as { key: string };
  const response = await fetch(`${proc.gatewayUrl}/v1/book`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': issued.key },
    body: JSON.stringify({ amount: 3 }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const runId = response.headers.get('x-conflux-run-id');
  // The system did receive the credential…
  assert.ok(ledger.requests.some((request) => request.headers['x-ledger-key'] === SECRET));
  // …and echoed it back, yet what Conflux stored and serves is redacted.
  const run = JSON.stringify(await admin(proc, `/api/v1/runs/${runId}`));
  assert.match(run, /\[redacted\]/);
  assert.doesNotMatch(run, new RegExp(SECRET));
  assert.equal(await stopConflux(proc), 0);

  assert.doesNotMatch(proc.output(), new RegExp(SECRET), 'logs');
  assert.doesNotMatch(proc.output(), new RegExp(issued.key), 'logs must not contain API keys');
  const stateDir = join(dir, '.conflux');
  for (const file of readdirSync(stateDir)) {
    if (!file.startsWith('conflux.db')) continue;
    const bytes = readFileSync(join(stateDir, file));
    assert.equal(bytes.includes(SECRET), false, `${file} holds the secret in plain text`);
    assert.equal(bytes.includes(issued.key), false, `${file} holds the API key in plain text`);
  }
});

test('traceparent is continued to the upstream with a new span; x-request-id is echoed', async () => {
  const proc = await start();
  const issued = JSON.parse(cli(['key', 'create', '--consumer', 'tracer', '--json'])) as { key: string };
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const response = await fetch(`${proc.gatewayUrl}/v1/entries/E-1`, {
    headers: {
      'x-api-key': issued.key,
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      'x-request-id': 'trace-test-7',
    },
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('x-request-id'), 'trace-test-7');
  const upstream = ledger.requests.at(-1);
  assert.equal(upstream?.path, '/entries/E-1');
  assert.match(
    String(upstream?.headers.traceparent),
    new RegExp(`^00-${traceId}-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$`),
  );
  assert.equal(upstream?.headers['x-request-id'], 'trace-test-7');
  assert.equal(upstream?.headers['x-api-key'], undefined, 'the consumer key is not forwarded');
  assert.equal(upstream?.headers['x-ledger-key'], SECRET, 'the system credential is added');
  await stopConflux(proc);
});

test('SIGTERM drains an in-flight request, then exits 0', async () => {
  const proc = await start();
  const issued = JSON.parse(cli(['key', 'create', '--consumer', 'drainer', '--json'])) as { key: string };
  ledger.hold();
  const pending = fetch(`${proc.gatewayUrl}/v1/slow`, {
    method: 'POST',
    headers: { 'x-api-key': issued.key, 'content-type': 'application/json' },
    body: '{}',
  });
  const before = ledger.count('/slow');
  await until(
    async () => (ledger.count('/slow') > before ? true : undefined),
    5_000,
    'the request to reach the upstream',
  );
  proc.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(proc.child.exitCode, null, 'still draining');
  ledger.release();
  const response = await pending;
  assert.equal(response.status, 200);
  assert.equal(await proc.exited, 0);
});
