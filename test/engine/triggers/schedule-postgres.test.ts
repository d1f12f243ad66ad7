import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import { createEngine, type Engine } from '../../../src/engine/index.ts';
import { createMetrics } from '../../../src/observability/index.ts';
import { createStore, type Store } from '../../../src/store/index.ts';
import { defineFlow, flowMap, noMappings } from '../fixtures/flows.ts';
import { silentLogger } from '../fixtures/harness.ts';
import { createHttpCaller } from '../fixtures/http-caller.ts';

const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const schema = `sched_${randomBytes(4).toString('hex')}`;
const stores: Store[] = [];
const engines: Engine[] = [];

// Every second, read in a zone with a non-hour offset: the input records the local wall time.
const flow = defineFlow({
  name: 'tick',
  triggers: [
    {
      type: 'schedule',
      cron: '* * * * * *',
      timezone: 'Asia/Kathmandu',
      input: '{"at": fireAt, "local": $formatDate(fireAt, "HH:mm:ss", "Asia/Kathmandu")}',
    },
  ],
  steps: [{ id: 'x', type: 'map', expression: 'trigger' }],
});

after(async () => {
  for (const engine of engines) await engine.stop(1000);
  for (const store of stores) await store.close();
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

test('two engines on one PostgreSQL store fire each tick once, in the schedule time zone', async () => {
  for (const name of ['p1', 'p2']) {
    const store = await createStore({ sqlitePath: '', databaseUrl: POSTGRES_URL, schema });
    stores.push(store);
    const engine = createEngine({
      store,
      systems: createHttpCaller('http://127.0.0.1:9'),
      redact: (value) => value,
      logger: silentLogger,
      metrics: createMetrics(),
      workerId: name,
      pollIntervalMs: 50,
    });
    engine.load(flowMap(flow), noMappings);
    engines.push(engine);
    await engine.start();
  }
  await new Promise((resolve) => setTimeout(resolve, 3500));
  for (const engine of engines) await engine.stop(1000);
  const runs = (await stores[0]?.runs.list({ flow: 'tick', limit: 100 }))?.runs ?? [];
  const ticks = runs.map((run) => (run.input as { at: string }).at);
  assert.ok(ticks.length >= 2, `at least two ticks fired (got ${ticks.length})`);
  assert.equal(new Set(ticks).size, ticks.length, 'no tick fired twice');
  for (const run of runs) {
    const { at, local } = run.input as { at: string; local: string };
    const utc = new Date(at);
    // Kathmandu is UTC+05:45 all year.
    const expected = new Date(utc.getTime() + (5 * 60 + 45) * 60_000).toISOString().slice(11, 19);
    assert.equal(local, expected);
  }
});
