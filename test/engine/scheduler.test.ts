import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createEngine } from '../../src/engine/index.ts';
import { createMetrics } from '../../src/observability/index.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import { defineFlow, flowMap, noMappings } from './fixtures/flows.ts';
import { createHarness, type Harness, silentLogger } from './fixtures/harness.ts';
import { createHttpCaller } from './fixtures/http-caller.ts';

let h: Harness;
let second: Store;
before(async () => {
  h = await createHarness();
  second = await createStore({ sqlitePath: h.sqlitePath });
});
after(async () => {
  await second.close();
  await h.close();
});

test('two engines on one store fire each schedule tick exactly once, with the evaluated input', async () => {
  const flow = defineFlow({
    name: 'every-second',
    triggers: [
      {
        type: 'schedule',
        cron: '* * * * * *',
        timezone: 'Europe/Paris',
        input: '{"since": fireAt, "kind": "tick"}',
      },
    ],
    steps: [{ id: 'echo', type: 'map', expression: 'trigger' }],
  });
  const a = h.engine();
  const b = createEngine({
    store: second,
    systems: createHttpCaller(h.upstream.url),
    redact: (value) => value,
    logger: silentLogger,
    metrics: createMetrics(),
    pollIntervalMs: 50,
  });
  for (const engine of [a, b]) engine.load(flowMap(flow), noMappings);
  await Promise.all([a.start(), b.start()]);
  await new Promise((resolve) => setTimeout(resolve, 3200));
  await Promise.all([a.stop(1000), b.stop(1000)]);

  const { runs } = await h.store.runs.list({ flow: 'every-second', limit: 100 });
  assert.ok(runs.length >= 2, `expected at least two ticks in 3.2 s, got ${runs.length}`);
  const ticks = runs.map((run) => (run.input as { since: string }).since);
  assert.equal(new Set(ticks).size, ticks.length, `a tick fired twice: ${ticks.join(', ')}`);
  for (const run of runs) {
    assert.equal(run.triggerType, 'schedule');
    const input = run.input as { since: string; kind: string };
    assert.equal(input.kind, 'tick');
    assert.match(input.since, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  }
  assert.equal(
    await h.store.schedules.lastFire('every-second:0'),
    Math.max(...ticks.map((tick) => Date.parse(tick))),
  );
});
