/**
 * The crash test of the engine issue: while 500 runs of a three-step flow execute, one of two
 * worker processes is SIGKILLed again and again and restarted; afterwards every run has
 * completed and every step's side effect happened exactly once, by idempotency key.
 *
 * Setup on PostgreSQL (an isolated database): a gateway-only process accepts the webhooks, a
 * steady worker and a victim worker execute them. Work arrives in waves, one per victim life,
 * so the victim holds runs when it dies: each kill is sent once the victim holds runs (plus a
 * random 0-500 ms), and the runs it held at that moment are recorded. Leases are 3 s, so a dead
 * victim's runs are taken over quickly. The upstream applies an effect when a request arrives
 * (whether or not the caller lives to read the answer) and answers a key it has seen from
 * memory, as an API that honours Idempotency-Key does.
 *
 * Bounded: 6 kills, 500 runs, every wait has a deadline (about a minute on a quiet 2-core
 * machine; the deadlines allow for a loaded one).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { type ConfluxProcess, startConflux, stopConflux } from './harness.ts';
import {
  type CountingSink,
  createIsolatedDatabase,
  SHARED_SECRET_KEY,
  sendOrders,
  startCountingSink,
  until,
  writeOrderProject,
} from './scale-out-fixture.ts';

const RUNS = 500;
const STEPS = ['reserve', 'charge', 'ship'];
const KILLS = 6;
const WAVE = 70;
const UPSTREAM_DELAY_MS = 50;
let dir: string;
let sink: CountingSink;
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let client: pg.Client;
const processes: ConfluxProcess[] = [];

before(async () => {
  sink = await startCountingSink(UPSTREAM_DELAY_MS);
  database = await createIsolatedDatabase('conflux_crash');
  dir = mkdtempSync(join(tmpdir(), 'conflux-crash-'));
  writeOrderProject(dir, sink.url, STEPS);
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

after(async () => {
  await Promise.all(processes.map((proc) => stopConflux(proc)));
  await client.end();
  await sink.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

function start(role: 'gateway' | 'worker'): Promise<ConfluxProcess> {
  return startConflux(dir, {
    args: ['--role', role],
    env: {
      CONFLUX_DATABASE_URL: database.url,
      CONFLUX_SECRET_KEY: SHARED_SECRET_KEY,
      CONFLUX_WORKER_LEASE_MS: '3000',
      CONFLUX_WORKER_CONCURRENCY: '2',
      CONFLUX_LOG_LEVEL: 'warn',
    },
    timeoutMs: 90_000,
  }).then((proc) => {
    processes.push(proc);
    return proc;
  });
}

async function count(query: string, values: unknown[] = []): Promise<number> {
  return Number((await client.query(query, values)).rows[0].n);
}

/** Runs leased right now by the process with `pid` (worker ids are `host:pid:random`). */
async function heldBy(pid: number): Promise<string[]> {
  const result = await client.query(`select id from runs where status = 'running' and lease_owner like $1`, [
    `%:${pid}:%`,
  ]);
  return result.rows.map((row: { id: string }) => row.id);
}

test(`SIGKILL a worker ${KILLS} times during ${RUNS} runs: every run completes, every side effect happens once`, async (t) => {
  const [gateway] = await Promise.all([start('gateway'), start('worker')]);
  let victim = await start('worker');
  const runIds: string[] = [];
  const interrupted = new Set<string>();
  let killsMidRun = 0;
  const started = Date.now();

  for (let kill = 0; kill < KILLS; kill += 1) {
    const wave = await sendOrders(gateway.gatewayUrl, kill * WAVE, WAVE, 10);
    assert.deepEqual([...wave.statuses], [[202, WAVE]]);
    runIds.push(...wave.runIds);
    // Kill it mid-work: once it holds runs (bounded wait), after a random 0-500 ms more.
    const pid = victim.child.pid ?? 0;
    await until(
      'the victim to hold runs',
      async () => ((await heldBy(pid)).length > 0 ? true : undefined),
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 500));
    victim.child.kill('SIGKILL');
    await victim.exited;
    // Still leased to the dead process: what it held when it died (taken over only after 3 s).
    const held = await heldBy(pid);
    if (held.length > 0) killsMidRun += 1;
    for (const id of held) interrupted.add(id);
    victim = await start('worker');
  }
  // A run can finish between the check and the signal; nearly every kill must still cut runs.
  assert.ok(killsMidRun >= KILLS - 1, `only ${killsMidRun} of ${KILLS} kills hit a victim holding runs`);
  const rest = await sendOrders(gateway.gatewayUrl, KILLS * WAVE, RUNS - KILLS * WAVE, 10);
  assert.deepEqual([...rest.statuses], [[202, RUNS - KILLS * WAVE]]);
  runIds.push(...rest.runIds);
  assert.equal(new Set(runIds).size, RUNS);

  await until(
    'every run to finish',
    async () =>
      (await count(`select count(*) as n from runs where status in ('succeeded', 'failed', 'dead')`)) === RUNS
        ? true
        : undefined,
    120_000,
  );
  t.diagnostic(
    `${KILLS} kills in ${Date.now() - started} ms; ${interrupted.size} runs were held by the victim when it died; upstream saw ${sink.rawCalls()} calls for ${sink.effectsByKey.size} effects`,
  );

  // Every run completed, each with exactly one checkpoint per step.
  assert.equal(await count(`select count(*) as n from runs where status = 'succeeded'`), RUNS);
  assert.equal(
    await count(`select count(*) as n from steps where status = 'succeeded'`),
    RUNS * STEPS.length,
  );
  // The runs the victim held when it died were taken over and claimed again.
  assert.equal(
    await count(`select count(*) as n from runs where id = any($1) and attempts >= 2`, [[...interrupted]]),
    interrupted.size,
  );

  // Exactly once, by idempotency key: one effect per (run, step), under the key the engine
  // derives from both, and nothing else. A repeated call after a crash reused its key.
  const expected = new Set(runIds.flatMap((id) => STEPS.map((step) => `${id}:${step}`)));
  assert.equal(sink.effectsByKey.size, STEPS.length * RUNS, 'effects == steps × runs');
  assert.deepEqual(new Set(sink.effectsByKey.keys()), expected, 'no key outside (run, step)');
  const appliedTwice = [...sink.effectsByKey].filter(([, effects]) => effects !== 1);
  assert.deepEqual(appliedTwice, [], 'no key applied twice');
  assert.ok(sink.rawCalls() >= sink.effectsByKey.size);
  // Steps ran in order within each run, even across crashes: a step's effect follows the last.
  for (const id of runIds) {
    const order = STEPS.map((step) => sink.appliedOrder.get(`${id}:${step}`) ?? -1);
    assert.ok(
      order.every((at, index) => index === 0 || at > (order[index - 1] ?? -1)),
      `${id}: ${order.join(' < ')}`,
    );
  }
});
