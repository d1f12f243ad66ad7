/**
 * `conflux start --role`: on PostgreSQL one gateway-only process accepts async webhooks and
 * queues their runs, two worker-only processes execute them all, and each worker takes part.
 * On the embedded SQLite store a split that could never execute its runs is refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { isConfluxError } from '../../src/errors/index.ts';
import { parseRoles, readSettings } from '../../src/platform/index.ts';
import { type ConfluxProcess, startConflux, stopConflux } from './harness.ts';
import {
  type CountingSink,
  createIsolatedDatabase,
  finishedRuns,
  SHARED_SECRET_KEY,
  sendOrders,
  startCountingSink,
  until,
  writeOrderProject,
} from './scale-out-fixture.ts';

const RUNS = 200;
const STEPS = ['reserve', 'ship'];
let dir: string;
let sink: CountingSink;
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const processes: ConfluxProcess[] = [];

before(async () => {
  sink = await startCountingSink(10);
  database = await createIsolatedDatabase('conflux_roles');
  dir = mkdtempSync(join(tmpdir(), 'conflux-roles-'));
  writeOrderProject(dir, sink.url, STEPS);
});

after(async () => {
  await Promise.all(processes.map((proc) => stopConflux(proc)));
  await sink.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

function start(role: string): Promise<ConfluxProcess> {
  return startConflux(dir, {
    args: ['--role', role],
    env: { CONFLUX_DATABASE_URL: database.url, CONFLUX_SECRET_KEY: SHARED_SECRET_KEY },
    timeoutMs: 90_000,
  }).then((proc) => {
    processes.push(proc);
    return proc;
  });
}

test('one gateway process and two worker processes on PostgreSQL share the async runs', async (t) => {
  const [gateway, workerA, workerB] = await Promise.all([start('gateway'), start('worker'), start('worker')]);
  assert.match(gateway.gatewayUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(gateway.adminUrl, '', 'a gateway-only process serves no admin API');
  for (const worker of [workerA, workerB]) {
    assert.equal(worker.gatewayUrl, '', 'a worker-only process serves no routes');
    assert.equal(worker.adminUrl, '');
  }

  const { runIds, statuses } = await sendOrders(gateway.gatewayUrl, 0, RUNS, 20);
  assert.deepEqual([...statuses], [[202, RUNS]], 'the gateway accepts every webhook');
  assert.equal(new Set(runIds).size, RUNS);

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  t.after(() => client.end());
  const succeeded = async () =>
    Number(
      (await client.query(`select count(*) as n from runs where flow = 'order' and status = 'succeeded'`))
        .rows[0].n,
    );
  await until('every run to succeed', async () => ((await succeeded()) === RUNS ? true : undefined), 120_000);

  // A synchronous webhook on the gateway-only process: a worker runs it, the gateway answers.
  const now = await fetch(`${gateway.gatewayUrl}/hooks/order-now`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order: RUNS }),
  });
  assert.equal(now.status, 200, await now.clone().text());
  assert.deepEqual(await now.json(), { order: RUNS });
  const nowRunId = now.headers.get('x-conflux-run-id');
  assert.ok(nowRunId !== null);

  // Who executed what: every worker logs each run it finishes; the gateway claims none. Log
  // lines are written in batches (at the latest every 250 ms), so wait for the last ones.
  const logged = () => finishedRuns(workerA.output()).length + finishedRuns(workerB.output()).length;
  await until(
    'the workers to log every finished run',
    async () => (logged() >= RUNS + 1 ? true : undefined),
    10_000,
  );
  const byA = finishedRuns(workerA.output());
  const byB = finishedRuns(workerB.output());
  t.diagnostic(`worker A finished ${byA.length} runs, worker B ${byB.length}`);
  assert.deepEqual(finishedRuns(gateway.output()), [], 'the gateway-only process executed no run');
  assert.ok(byA.length > 0 && byB.length > 0, 'both workers executed runs');
  const all = [...byA, ...byB];
  assert.equal(all.length, RUNS + 1, 'each run was finished once, by one worker');
  assert.deepEqual(new Set(all), new Set([...runIds, nowRunId]));

  // Every step's side effect happened once, under its deterministic key.
  assert.equal(sink.effectsByKey.size, STEPS.length * (RUNS + 1));
  for (const id of runIds)
    for (const step of STEPS) assert.equal(sink.effectsByKey.get(`${id}:${step}`), 1, `${id}:${step}`);

  // Each role shuts down cleanly on SIGTERM.
  assert.deepEqual(
    await Promise.all([gateway, workerA, workerB].map((proc) => stopConflux(proc))),
    [0, 0, 0],
  );
});

test('on the embedded SQLite store a process without the worker role is refused', async () => {
  const sqliteDir = mkdtempSync(join(tmpdir(), 'conflux-roles-sqlite-'));
  try {
    writeOrderProject(sqliteDir, sink.url, STEPS);
    await assert.rejects(
      startConflux(sqliteDir, { args: ['--role', 'gateway,admin'], timeoutMs: 60_000 }),
      (error: Error) => {
        assert.match(error.message, /CONFIG_INVALID: --role gateway,admin needs other processes/);
        assert.match(error.message, /CONFLUX_DATABASE_URL/);
        return true;
      },
    );
  } finally {
    rmSync(sqliteDir, { recursive: true, force: true });
  }
});

test('--role values: repeatable, comma-separated, all by default; unknown names and bad worker settings refused', () => {
  const sorted = (values: string[]) => [...parseRoles(values)].sort();
  assert.deepEqual(sorted([]), ['admin', 'gateway', 'worker']);
  assert.deepEqual(sorted(['all']), ['admin', 'gateway', 'worker']);
  assert.deepEqual(sorted(['gateway,worker']), ['gateway', 'worker']);
  assert.deepEqual(sorted(['Gateway', ' admin ']), ['admin', 'gateway']);
  const configInvalid = (error: unknown) => isConfluxError(error) && error.code === 'CONFIG_INVALID';
  assert.throws(() => parseRoles(['gateway,wroker']), configInvalid);
  const settings = readSettings({ CONFLUX_WORKER_CONCURRENCY: '4', CONFLUX_WORKER_LEASE_MS: '3000' });
  assert.equal(settings.workerConcurrency, 4);
  assert.equal(settings.workerLeaseMs, 3000);
  assert.equal(readSettings({}).workerLeaseMs, undefined);
  assert.throws(() => readSettings({ CONFLUX_WORKER_LEASE_MS: '10' }), configInvalid);
  assert.throws(() => readSettings({ CONFLUX_WORKER_CONCURRENCY: 'many' }), configInvalid);
});
