import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineFlow, flowMap, noMappings } from './fixtures/flows.ts';
import { createHarness, type Harness } from './fixtures/harness.ts';
import { pollRun } from './fixtures/poll-run.ts';

const ITEMS = 100_000;

const bigFlow = defineFlow({
  name: 'big',
  steps: [
    // 100,000 items (≈ 3 MB of JSON) pass from the trigger through a step: far above the threshold.
    { id: 'items', type: 'map', expression: 'trigger.items' },
    { id: 'count', type: 'map', expression: '$count(steps.items)' },
  ],
  output: '{"count": steps.count, "inputBytes": $length(trigger.blob)}',
});
const quick = defineFlow({ name: 'quick', steps: [{ id: 'one', type: 'map', expression: '1' }] });

describe('backpressure and large data', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h.close();
  });

  test('large step values and trigger data are stored once and passed by reference (claim check)', async () => {
    const engine = h.engine({ claimCheckBytes: 64 * 1024 });
    engine.load(flowMap(bigFlow), noMappings);
    await engine.start();
    const blob = 'x'.repeat(2 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const trigger = Array.from({ length: ITEMS }, (_, n) => ({ n, sku: `sku-${n}` }));
    const run = await engine.startRun(
      'big',
      { blob, items: trigger },
      { triggerType: 'webhook', correlationId: 'c-big' },
    );
    const done = await engine.waitForRun(run.id, 20_000);
    const rssAfter = process.memoryUsage().rss;
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.output, { count: ITEMS, inputBytes: blob.length });
    // The rows hold references; the values live once in `payloads`.
    const stored = await h.store.runs.get(run.id);
    assert.deepEqual(Object.keys(stored?.input as object).sort(), ['$payload', 'bytes']);
    const raw = await h.store.runs.listSteps(run.id);
    const ref = raw.find((step) => step.stepId === 'items')?.output as { $payload: string } | undefined;
    assert.equal(typeof ref?.$payload, 'string');
    const payload = await h.store.payloads.get(ref?.$payload ?? '');
    assert.equal(JSON.parse(payload ?? '[]').length, ITEMS);
    const count = raw.find((step) => step.stepId === 'count');
    assert.equal(count?.output, ITEMS, 'small values stay inline');
    // Reported, not asserted tightly: memory is the machine's business, but it must stay bounded.
    const grewMb = (rssAfter - rssBefore) / 1024 / 1024;
    assert.ok(grewMb < 512, `RSS grew ${grewMb.toFixed(0)} MB for a ${ITEMS}-item run`);
    await engine.stop(1000);
  });

  test('a paused flow queues new runs without executing them; resume drains the queue', async () => {
    const engine = h.engine();
    engine.load(flowMap(quick), noMappings);
    await engine.start();
    assert.equal(await h.store.flowPauses.pause('quick', 'maintenance', Date.now()), true);
    assert.equal(await h.store.flowPauses.pause('quick', null, Date.now()), false);
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        engine.startRun('quick', { n }, { triggerType: 'webhook', correlationId: `c-p${n}` }),
      ),
    );
    await sleep(300);
    for (const run of runs) assert.equal((await h.store.runs.get(run.id))?.status, 'queued');
    const stats = await h.store.runMaintenance.queueStats(Date.now());
    assert.ok(stats.queued >= 20 && stats.oldestAgeMs >= 250, JSON.stringify(stats));
    assert.equal(await h.store.flowPauses.resume('quick'), true);
    for (const run of runs) await pollRun(h.store, run.id, ['succeeded']);
    const metrics = await h.metrics.registry.getSingleMetricAsString('conflux_runs_queued_total');
    assert.match(metrics, /conflux_runs_queued_total\{flow="quick",trigger="webhook"\} 20/);
    await engine.stop(1000);
  });
});
