import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { createMetrics } from '../../src/observability/index.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import { type CountingUpstream, startCountingUpstream } from './fixtures/counting-upstream.ts';
import { defineFlow, flowMap, noMappings } from './fixtures/flows.ts';
import { silentLogger } from './fixtures/harness.ts';
import { createHttpCaller } from './fixtures/http-caller.ts';

const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = 40;
const schema = `engine_${randomBytes(4).toString('hex')}`;

const flow = defineFlow({
  name: 'sync-contact',
  steps: [
    { id: 'push', type: 'call', system: 'crm', operation: 'upsert', input: '{"body": trigger}' },
    { id: 'done', type: 'map', expression: '{"n": trigger.n, "status": steps.push.status}' },
  ],
});

let upstream: CountingUpstream;
const stores: Store[] = [];
const engines: Engine[] = [];

async function startEngine(name: string, options: { pollIntervalMs?: number; start?: boolean } = {}) {
  // Each engine gets its own store (its own connection pool), as separate processes would.
  const store = await createStore({ sqlitePath: '', databaseUrl: POSTGRES_URL, schema });
  stores.push(store);
  const engine = createEngine({
    store,
    systems: createHttpCaller(upstream.url),
    redact: (value) => value,
    logger: silentLogger,
    metrics: createMetrics(),
    workerId: name,
    pollIntervalMs: options.pollIntervalMs ?? 20,
    leaseMs: 5000,
    concurrency: 4,
  });
  engine.load(flowMap(flow), noMappings);
  engines.push(engine);
  if (options.start !== false) await engine.start();
  return engine;
}

before(async () => {
  upstream = await startCountingUpstream();
  // Slow enough that both engines are busy at once and race for the queue.
  upstream.behave('/crm/upsert', { delayMs: 15 });
});

after(async () => {
  for (const engine of engines) await engine.stop(2000);
  for (const store of stores) await store.close();
  await upstream.close();
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

test('two engines on one PostgreSQL store share 40 runs and execute none twice', async () => {
  const a = await startEngine('worker-a');
  const b = await startEngine('worker-b');
  const runs = await Promise.all(
    Array.from({ length: RUNS }, (_, n) =>
      (n % 2 === 0 ? a : b).startRun('sync-contact', { n }, { triggerType: 'test', correlationId: `c-${n}` }),
    ),
  );
  const finished = await Promise.all(runs.map((run) => a.waitForRun(run.id, 30_000)));
  assert.deepEqual(
    finished.map((run) => run.status),
    runs.map(() => 'succeeded'),
  );
  for (const run of runs)
    assert.equal(upstream.count(`${run.id}:push`), 1, `run ${run.id} called the upstream once`);
  assert.equal(upstream.calls.length, RUNS);
  assert.deepEqual(
    finished.map((run) => (run.output as { n: number }).n).sort((x, y) => x - y),
    [...Array(RUNS).keys()],
  );
  for (const run of finished) assert.equal(run.attempts, 1, 'claimed exactly once');
  const steps = await Promise.all(runs.map((run) => stores[0]?.runs.listSteps(run.id)));
  for (const list of steps) assert.equal(list?.length, 2);
});

test('a waiter in a process that executes nothing hears at once that another process finished the run', async () => {
  // Like a gateway-only process answering a sync webhook: it queues and waits. Its poll is a
  // minute, so only the store's announcement (LISTEN/NOTIFY) can end the wait in time.
  const gateway = await startEngine('gateway-only', { pollIntervalMs: 60_000, start: false });
  await startEngine('worker-c');
  const runs = await Promise.all(
    [1, 2, 3].map((n) =>
      gateway.startRun(
        'sync-contact',
        { n },
        { triggerType: 'webhook', correlationId: `g-${n}`, eager: true },
      ),
    ),
  );
  for (const run of runs)
    assert.equal(run.status, 'queued', 'a process without a worker never starts eagerly');
  const finished = await Promise.all(runs.map((run) => gateway.waitForRun(run.id, 20_000)));
  assert.deepEqual(
    finished.map((run) => run.status),
    ['succeeded', 'succeeded', 'succeeded'],
  );
});
