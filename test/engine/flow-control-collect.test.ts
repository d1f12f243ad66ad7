/**
 * Debounce and batching in the engine, on SQLite and on PostgreSQL with two engines (two
 * stores, as two processes) collecting triggers of the same keys at once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { createMetrics } from '../../src/observability/index.ts';
import type { RunRecord } from '../../src/store/index.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import { flowMap, noMappings } from './fixtures/flows.ts';
import { createHarness, type Harness, silentLogger } from './fixtures/harness.ts';
import { createHttpCaller } from './fixtures/http-caller.ts';
import { flow } from './steps/define.ts';

const opts = { triggerType: 'test', correlationId: 'corr-collect' };
const POSTGRES_URL = process.env.CONFLUX_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const debounced = flow({
  name: 'debounced',
  // Long against the gaps between the test's triggers, so a slow machine does not split a window.
  control: { debounce: { periodMs: 800, key: 'trigger.customer' } },
  steps: [{ id: 'echo', type: 'map', expression: 'trigger' }],
});
const capped = flow({
  name: 'capped',
  control: { debounce: { periodMs: 400, maxWaitMs: 600 } },
  steps: [{ id: 'echo', type: 'map', expression: 'trigger' }],
});
const batched = flow({
  name: 'batched',
  control: { batch: { maxItems: 3, maxWaitMs: 2000, key: 'trigger.tenant' } },
  steps: [{ id: 'count', type: 'map', expression: '{"n": $count(trigger), "items": trigger.i}' }],
});
const flows = flowMap(debounced, capped, batched);

function finished(engine: Engine, runs: readonly RunRecord[]): Promise<RunRecord[]> {
  const ids = [...new Set(runs.map((run) => run.id))];
  return Promise.all(ids.map((id) => engine.waitForRun(id, 15_000)));
}

describe('debounce and batching (engine + SQLite)', () => {
  let h: Harness;
  let engine: Engine;
  before(async () => {
    h = await createHarness();
    engine = h.engine({ workerId: 'collect' });
    engine.load(flows, noMappings);
    await engine.start();
  });
  after(() => h.close());

  test('debounce: triggers within the quiet period make one run with the last trigger', async () => {
    const runs: RunRecord[] = [];
    for (let n = 1; n <= 4; n += 1) {
      runs.push(await engine.startRun('debounced', { customer: 'c1', n }, opts));
    }
    const other = await engine.startRun('debounced', { customer: 'c2', n: 9 }, opts);
    assert.equal(new Set(runs.map((run) => run.id)).size, 1, 'one run for the key');
    assert.notEqual(other.id, runs[0]?.id, 'another key debounces on its own');
    const [run] = await finished(engine, runs);
    assert.equal(run?.status, 'succeeded');
    assert.deepEqual(run?.input, { customer: 'c1', n: 4 });
    assert.deepEqual(run?.output, { customer: 'c1', n: 4 });
    const collected = await h.store.flowControl.collected(run?.id ?? '');
    assert.deepEqual(
      collected.map((trigger) => trigger.status),
      ['superseded', 'superseded', 'superseded', 'started'],
    );
    assert.equal(collected[0]?.supersededBy, collected[1]?.id);
    assert.deepEqual(collected[0]?.input, { customer: 'c1', n: 1 });
    // The run started a quiet period after the last trigger.
    const last = collected.at(-1)?.createdAt ?? 0;
    const steps = await h.store.runs.listSteps(run?.id ?? '');
    assert.ok((steps[0]?.startedAt ?? 0) >= last + 800);
    assert.deepEqual((await engine.waitForRun(other.id, 15_000)).input, { customer: 'c2', n: 9 });
  });

  test('debounce: a trigger after the run started opens a new run', async () => {
    const first = await engine.startRun('debounced', { customer: 'c3', n: 1 }, opts);
    await engine.waitForRun(first.id, 15_000);
    const second = await engine.startRun('debounced', { customer: 'c3', n: 2 }, opts);
    assert.notEqual(second.id, first.id);
    assert.deepEqual((await engine.waitForRun(second.id, 15_000)).input, { customer: 'c3', n: 2 });
  });

  test('debounce maxWait: a steady stream of triggers still starts a run', async () => {
    const runs: RunRecord[] = [];
    for (let n = 1; n <= 8; n += 1) {
      runs.push(await engine.startRun('capped', { n }, opts));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const ids = [...new Set(runs.map((run) => run.id))];
    assert.ok(ids.length >= 2, 'the first run started within maxWait despite triggers every 150 ms');
    const done = await finished(engine, runs);
    assert.ok(done.every((run) => run.status === 'succeeded'));
  });

  test('batch: full batches start at once, the rest after maxWait, items in arrival order', async () => {
    const runs: RunRecord[] = [];
    for (let i = 1; i <= 7; i += 1) runs.push(await engine.startRun('batched', { tenant: 't1', i }, opts));
    runs.push(await engine.startRun('batched', { tenant: 't2', i: 100 }, opts));
    const done = await finished(engine, runs);
    const outputs = done
      .map((run) => run.output)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    assert.deepEqual(outputs, [
      { n: 1, items: 100 },
      { n: 1, items: 7 },
      { n: 3, items: [1, 2, 3] },
      { n: 3, items: [4, 5, 6] },
    ]);
    const batch = done.find((run) => Array.isArray(run.input) && run.input.length === 3);
    assert.deepEqual(batch?.input, [
      { tenant: 't1', i: 1 },
      { tenant: 't1', i: 2 },
      { tenant: 't1', i: 3 },
    ]);
  });

  test('an event trigger delivered twice is collected once', async () => {
    const first = await engine.startRun('batched', { tenant: 't3', i: 1 }, { ...opts, id: 'event-1' });
    const again = await engine.startRun('batched', { tenant: 't3', i: 1 }, { ...opts, id: 'event-1' });
    assert.equal(again.id, first.id);
    const [run] = await finished(engine, [first]);
    assert.deepEqual(run?.input, [{ tenant: 't3', i: 1 }]);
  });
});

describe('batching on PostgreSQL with two engines collecting at once', () => {
  const schema = `collect_${randomBytes(4).toString('hex')}`;
  const stores: Store[] = [];
  const engines: Engine[] = [];
  const upstream = { url: 'http://127.0.0.1:9' };

  before(async () => {
    for (const name of ['pg-a', 'pg-b']) {
      const store = await createStore({ sqlitePath: '', databaseUrl: POSTGRES_URL, schema });
      stores.push(store);
      const engine = createEngine({
        store,
        systems: createHttpCaller(upstream.url),
        redact: (value) => value,
        logger: silentLogger,
        metrics: createMetrics(),
        workerId: name,
        pollIntervalMs: 20,
        leaseMs: 5000,
      });
      engine.load(flowMap(batched), noMappings);
      await engine.start();
      engines.push(engine);
    }
  });
  after(async () => {
    for (const engine of engines) await engine.stop(2000);
    for (const store of stores) await store.close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });

  test('every trigger lands in exactly one batch, and no batch holds more than maxItems', async () => {
    const total = 60;
    const started = await Promise.all(
      Array.from({ length: total }, (_, i) =>
        (engines[i % 2] as Engine).startRun('batched', { tenant: 'shared', i }, opts),
      ),
    );
    const done = await Promise.all(
      [...new Set(started.map((run) => run.id))].map((id) => (engines[0] as Engine).waitForRun(id, 30_000)),
    );
    assert.ok(done.every((run) => run.status === 'succeeded'));
    const items = done.flatMap((run) => (run.input as { i: number }[]).map((item) => item.i));
    assert.deepEqual(
      [...items].sort((a, b) => a - b),
      Array.from({ length: total }, (_, i) => i),
      'each trigger in one batch',
    );
    for (const run of done) assert.ok((run.input as unknown[]).length <= 3, 'batches hold at most 3');
  });
});
