import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRetentionPruner } from '../../src/engine/index.ts';
import { createHarness, type Harness, silentLogger } from './fixtures/harness.ts';

const DAY = 86_400_000;

describe('retention', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h.close();
  });

  async function finishedRun(id: string, status: 'succeeded' | 'dead' | 'failed', finishedAt: number) {
    await h.store.runs.create({
      id,
      flow: 'f',
      flowVersion: 'v',
      triggerType: 'test',
      input: { id },
      correlationId: id,
    });
    await h.store.runs.claim('w', 60_000, 1, Date.now());
    await h.store.runs.saveStep({
      runId: id,
      stepId: 's',
      status: 'succeeded',
      input: null,
      output: { ok: true },
      error: undefined,
      attempts: 1,
      startedAt: finishedAt - 5,
      finishedAt,
    });
    await h.store.payloads.put({ id: `p-${id}`, runId: id, data: '{"big":true}' }, finishedAt);
    assert.ok(await h.store.runs.finish(id, 'w', { status }, finishedAt));
  }

  test('prunes finished runs past their status keep time, with steps and payloads; keeps the rest', async () => {
    const now = Date.now();
    await finishedRun('old-ok', 'succeeded', now - 8 * DAY);
    await finishedRun('new-ok', 'succeeded', now - 6 * DAY);
    await finishedRun('old-dead', 'dead', now - 31 * DAY);
    await finishedRun('young-dead', 'dead', now - 8 * DAY);
    await h.store.runs.create({
      id: 'waiting',
      flow: 'f',
      flowVersion: 'v',
      triggerType: 'test',
      input: null,
      correlationId: 'w',
      availableAt: now + DAY,
    });
    const pruner = createRetentionPruner({
      store: h.store,
      logger: silentLogger,
      policy: () => ({ succeeded: 7 * DAY, failed: 30 * DAY, dead: 30 * DAY }),
      intervalMs: 60_000,
    });
    const pruned = await pruner.pruneOnce(now);
    assert.deepEqual(pruned, { succeeded: 1, failed: 0, dead: 1 });
    assert.equal(await h.store.runs.get('old-ok'), undefined);
    assert.equal(await h.store.runs.get('old-dead'), undefined);
    assert.deepEqual(await h.store.runs.listSteps('old-ok'), []);
    assert.equal(await h.store.payloads.get('p-old-ok'), undefined);
    for (const id of ['new-ok', 'young-dead', 'waiting'])
      assert.ok(await h.store.runs.get(id), `${id} is kept`);
    assert.equal(await h.store.payloads.get('p-new-ok'), '{"big":true}');
    assert.deepEqual(await pruner.pruneOnce(now), { succeeded: 0, failed: 0, dead: 0 });
  });

  test('the timer prunes without being asked', async () => {
    const now = Date.now();
    await finishedRun('timer-old', 'failed', now - 2000);
    const pruner = createRetentionPruner({
      store: h.store,
      logger: silentLogger,
      policy: () => ({ succeeded: DAY, failed: 1000, dead: DAY }),
      intervalMs: 20,
    });
    pruner.start();
    const deadline = Date.now() + 5000;
    while ((await h.store.runs.get('timer-old')) !== undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    pruner.stop();
    assert.equal(await h.store.runs.get('timer-old'), undefined);
  });
});
