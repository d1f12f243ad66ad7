import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { flowMap, noMappings } from '../fixtures/flows.ts';
import { createHarness, type Harness } from '../fixtures/harness.ts';
import { flow } from '../steps/define.ts';

const opts = { triggerType: 'test', correlationId: 'corr-control' };

describe('flow control (engine + SQLite)', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h.close();
  });

  test('concurrency: at most `limit` runs of one key execute at once; other keys are not held back', async () => {
    h.upstream.behave('/slow/work', { delayMs: 150 });
    const engine = h.engine({ concurrency: 8, workerId: 'conc' });
    engine.load(
      flowMap(
        flow({
          name: 'limited',
          control: { concurrency: { limit: 1, key: 'trigger.customer' } },
          steps: [
            {
              id: 'work',
              type: 'call',
              system: 'slow',
              operation: 'work',
              input: '{"body": {"c": trigger.customer}}',
            },
          ],
        }),
      ),
      noMappings,
    );
    await engine.start();
    const runs = await Promise.all(
      ['a', 'a', 'a', 'b'].map((customer) => engine.startRun('limited', { customer }, opts)),
    );
    const done = await Promise.all(runs.map((run) => engine.waitForRun(run.id, 15_000)));
    await engine.stop(1000);
    assert.ok(done.every((run) => run.status === 'succeeded'));
    const spans = await Promise.all(
      runs.map(async (run) => {
        const [step] = await h.store.runs.listSteps(run.id);
        return {
          customer: (run.input as { customer: string }).customer,
          start: step?.startedAt ?? 0,
          end: step?.finishedAt ?? 0,
        };
      }),
    );
    const a = spans.filter((span) => span.customer === 'a').sort((x, y) => x.start - y.start);
    for (let i = 1; i < a.length; i += 1) {
      assert.ok((a[i]?.start ?? 0) >= (a[i - 1]?.end ?? 0), 'runs of key a never overlap');
    }
    const b = spans.find((span) => span.customer === 'b');
    assert.ok(b !== undefined && b.start < (a.at(-1)?.start ?? 0), 'key b did not wait for all of key a');
  });

  test('throttle: at most `limit` starts per period; later runs are scheduled into later periods', async () => {
    const engine = h.engine({ workerId: 'throttle' });
    engine.load(
      flowMap(
        flow({
          name: 'throttled',
          control: { throttle: { limit: 2, periodMs: 60_000 } },
          steps: [{ id: 'x', type: 'map', expression: '1' }],
        }),
      ),
      noMappings,
    );
    const runs = [];
    for (let i = 0; i < 5; i += 1) runs.push(await engine.startRun('throttled', { i }, opts));
    const windows = runs.map((run) => Math.floor(run.availableAt / 60_000));
    const first = windows[0] ?? 0;
    assert.deepEqual(
      windows.map((w) => w - first),
      [0, 0, 1, 1, 2],
    );
  });

  test('singleton: a second trigger while a run of the key is active joins it', async () => {
    const engine = h.engine({ workerId: 'single' });
    engine.load(
      flowMap(
        flow({
          name: 'single',
          control: { singleton: { key: 'trigger.account' } },
          steps: [{ id: 'x', type: 'delay', durationMs: 300 }],
        }),
      ),
      noMappings,
    );
    await engine.start();
    const first = await engine.startRun('single', { account: 'acc-1' }, opts);
    const second = await engine.startRun('single', { account: 'acc-1' }, opts);
    const other = await engine.startRun('single', { account: 'acc-2' }, opts);
    assert.equal(second.id, first.id);
    assert.notEqual(other.id, first.id);
    await engine.waitForRun(first.id, 10_000);
    const third = await engine.startRun('single', { account: 'acc-1' }, opts);
    assert.notEqual(third.id, first.id, 'after the run finished, a new one starts');
    await engine.waitForRun(third.id, 10_000);
    await engine.waitForRun(other.id, 10_000);
    await engine.stop(1000);
  });

  test('priority: among due runs, higher priority is claimed first', async () => {
    const engine = h.engine({ concurrency: 1, workerId: 'prio' });
    engine.load(
      flowMap(
        flow({
          name: 'prio',
          control: { priority: 'trigger.vip ? 10 : 0' },
          steps: [{ id: 'x', type: 'map', expression: 'trigger.n' }],
        }),
      ),
      noMappings,
    );
    const runs = [];
    for (let n = 0; n < 6; n += 1) runs.push(await engine.startRun('prio', { n, vip: n >= 4 }, opts));
    await engine.start();
    const done = await Promise.all(runs.map((run) => engine.waitForRun(run.id, 10_000)));
    await engine.stop(1000);
    // One at a time, so no VIP run finishes after a regular one (finish times are milliseconds:
    // runs finishing within one millisecond tie, which is allowed).
    const finished = (vip: boolean) =>
      done.filter((run) => (run.input as { vip: boolean }).vip === vip).map((run) => run.finishedAt ?? 0);
    assert.ok(
      Math.max(...finished(true)) <= Math.min(...finished(false)),
      `VIP runs finished at ${finished(true).join(', ')}; others at ${finished(false).join(', ')}`,
    );
  });
});
