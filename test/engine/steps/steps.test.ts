import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Engine } from '../../../src/engine/index.ts';
import { flowMap, noMappings } from '../fixtures/flows.ts';
import { createHarness, type Harness } from '../fixtures/harness.ts';
import { flow } from './define.ts';

const opts = { triggerType: 'test', correlationId: 'corr-steps' };

describe('step kinds (engine + SQLite + loopback HTTP)', () => {
  let h: Harness;
  let engine: Engine;
  const flows = [
    flow({
      name: 'branching',
      steps: [
        {
          id: 'check',
          type: 'branch',
          if: 'trigger.amount > 100',
          // biome-ignore lint/suspicious/noThenProperty: the branch step's field
          then: [{ id: 'big', type: 'map', expression: '"big " & trigger.amount' }],
          else: [{ id: 'small', type: 'map', expression: '"small"' }],
        },
        {
          id: 'tier',
          type: 'switch',
          value: 'trigger.tier',
          cases: [
            { when: 'gold', steps: [{ id: 'label', type: 'map', expression: '"G"' }] },
            { when: 'silver', steps: [{ id: 'label', type: 'map', expression: '"S"' }] },
          ],
          default: [{ id: 'label', type: 'map', expression: '"-"' }],
        },
      ],
      output:
        '{"branch": steps.check.branch, "value": steps.check.steps.big ? steps.check.steps.big : steps.check.steps.small, "tier": steps.tier.steps.label}',
    }),
    flow({
      name: 'looping',
      steps: [
        {
          id: 'loop',
          type: 'foreach',
          items: 'trigger.skus',
          concurrency: 3,
          steps: [
            {
              id: 'reserve',
              type: 'call',
              system: 'inv',
              operation: 'reserve',
              input: '{"body": {"sku": item, "n": index}}',
            },
            { id: 'pick', type: 'map', expression: 'steps.reserve.body.echo.body.sku' },
          ],
        },
      ],
      output: 'steps.loop.pick',
    }),
    flow({
      name: 'fanout',
      steps: [
        {
          id: 'both',
          type: 'parallel',
          steps: [
            { id: 'a', type: 'call', system: 'sys', operation: 'a' },
            { id: 'b', type: 'call', system: 'sys', operation: 'b' },
          ],
        },
      ],
      output: '[steps.both.a.body.path, steps.both.b.body.path]',
    }),
    flow({
      name: 'rejecting',
      steps: [
        {
          id: 'rule',
          type: 'branch',
          if: 'trigger.ok',
          // biome-ignore lint/suspicious/noThenProperty: the branch step's field
          then: [],
          else: [{ id: 'no', type: 'fail', code: 'ORDER_REJECTED', message: 'not ok' }],
        },
      ],
    }),
    flow({
      name: 'sleeping',
      steps: [
        { id: 'nap', type: 'delay', durationMs: 300 },
        { id: 'after', type: 'map', expression: '"woke"' },
      ],
    }),
    flow({
      name: 'raw-http',
      steps: [
        {
          id: 'get',
          type: 'http',
          method: 'POST',
          url: 'http://127.0.0.1:1/x',
          input: '{"url": trigger.url, "body": {"hello": "world"}}',
        },
      ],
      output: 'steps.get.body',
    }),
    flow({
      name: 'approval',
      steps: [
        {
          id: 'approved',
          type: 'wait',
          event: 'order.approved',
          key: 'trigger.order',
          timeoutMs: 60_000,
          onTimeout: 'fail',
        },
        { id: 'done', type: 'map', expression: 'steps.approved.payload.data.by' },
      ],
    }),
    flow({
      name: 'approver',
      steps: [
        {
          id: 'send',
          type: 'emit',
          event: 'order.approved',
          key: 'trigger.order',
          data: '{"by": trigger.by}',
        },
      ],
    }),
    flow({
      name: 'on-approved',
      triggers: [{ type: 'event', event: 'order.approved' }],
      steps: [{ id: 'seen', type: 'map', expression: '{"order": trigger.key, "by": trigger.data.by}' }],
    }),
    flow({
      name: 'callback',
      steps: [
        { id: 'url', type: 'map', expression: 'run.callbacks.hook' },
        { id: 'hook', type: 'wait', callback: true, timeoutMs: 60_000, onTimeout: 'fail' },
      ],
      output: '{"url": steps.url, "got": steps.hook.payload}',
    }),
    flow({
      name: 'short-wait',
      steps: [{ id: 'w', type: 'wait', event: 'never.happens', timeoutMs: 200, onTimeout: 'continue' }],
    }),
    flow({
      name: 'early',
      steps: [
        { id: 'ack', type: 'respond', output: '{"accepted": trigger.id}' },
        { id: 'slow', type: 'delay', durationMs: 400 },
        { id: 'late', type: 'map', expression: '"finished"' },
      ],
    }),
    flow({
      name: 'parent',
      steps: [
        { id: 'child', type: 'subflow', flow: 'child', input: '{"n": trigger.n}', timeoutMs: 60_000 },
        { id: 'twice', type: 'map', expression: 'steps.child * 2' },
      ],
    }),
    flow({
      name: 'child',
      steps: [
        { id: 'nap', type: 'delay', durationMs: 100 },
        { id: 'plus', type: 'map', expression: 'trigger.n + 1' },
      ],
    }),
  ];

  before(async () => {
    h = await createHarness();
    engine = h.engine({ httpAllow: ['127.0.0.1/32'] });
    engine.load(flowMap(...flows), noMappings);
    await engine.start();
  });
  after(async () => {
    await h.close();
  });

  test('branch and switch take the matching path and checkpoint nested steps under the parent id', async () => {
    const run = await engine.startRun('branching', { amount: 250, tier: 'silver' }, opts);
    const done = await engine.waitForRun(run.id, 10_000);
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.output, { branch: 'then', value: 'big 250', tier: 'S' });
    const ids = (await h.store.runs.listSteps(run.id)).map((step) => step.stepId).sort();
    assert.deepEqual(ids, ['check', 'check.then.big', 'tier', 'tier.1.label']);
    const other = await engine.waitForRun(
      (await engine.startRun('branching', { amount: 5, tier: 'x' }, opts)).id,
      10_000,
    );
    assert.deepEqual(other.output, { branch: 'else', value: 'small', tier: '-' });
  });

  test('foreach runs each item (bounded concurrency) with ids like loop[3].reserve', async () => {
    const skus = ['a', 'b', 'c', 'd', 'e'];
    const run = await engine.startRun('looping', { skus }, opts);
    const done = await engine.waitForRun(run.id, 10_000);
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.output, skus);
    const ids = new Set((await h.store.runs.listSteps(run.id)).map((step) => step.stepId));
    for (let i = 0; i < skus.length; i += 1)
      assert.ok(ids.has(`loop[${i}].reserve`), `loop[${i}].reserve recorded`);
    assert.equal(h.upstream.count(`${run.id}:loop[3].reserve`), 1);
  });

  test('each foreach item retries on its own, with its own stable idempotency key', async () => {
    h.upstream.behave('/inv/reserve', { statuses: [503] });
    const run = await engine.startRun('looping', { skus: ['x', 'y', 'z'] }, opts);
    const done = await engine.waitForRun(run.id, 10_000);
    h.upstream.behave('/inv/reserve', {});
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.output, ['x', 'y', 'z']);
    for (const i of [0, 1, 2]) assert.equal(h.upstream.count(`${run.id}:loop[${i}].reserve`), 2);
    const steps = await h.store.runs.listSteps(run.id);
    assert.deepEqual(
      steps.filter((step) => step.stepId.endsWith('.reserve')).map((step) => step.attempts),
      [2, 2, 2],
    );
  });

  test('parallel runs its children and outputs them by id', async () => {
    const done = await engine.waitForRun((await engine.startRun('fanout', {}, opts)).id, 10_000);
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.output, ['/sys/a', '/sys/b']);
  });

  test('fail ends the run dead with the typed error, without retries', async () => {
    const done = await engine.waitForRun(
      (await engine.startRun('rejecting', { ok: false }, opts)).id,
      10_000,
    );
    assert.equal(done.status, 'dead');
    const error = done.error as { code: string; step: string; attempts: number; details?: { code?: string } };
    assert.equal(error.code, 'ENGINE_FLOW_FAILED');
    assert.equal(error.step, 'rule.else.no');
    assert.equal(error.attempts, 1);
    const ok = await engine.waitForRun((await engine.startRun('rejecting', { ok: true }, opts)).id, 10_000);
    assert.equal(ok.status, 'succeeded');
  });

  test('delay parks the run in the queue (no worker holds it) and resumes after the time', async () => {
    const run = await engine.startRun('sleeping', {}, opts);
    // While parked the run is queued with a later availableAt.
    let parked = false;
    for (let i = 0; i < 40 && !parked; i += 1) {
      const now = await h.store.runs.get(run.id);
      parked = now?.status === 'queued' && now.availableAt > Date.now();
      if (!parked) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(parked, 'the run was parked in the queue');
    const done = await engine.waitForRun(run.id, 10_000);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.output, 'woke');
    const nap = (await h.store.runs.listSteps(run.id)).find((step) => step.stepId === 'nap');
    assert.ok(nap !== undefined && nap.finishedAt - run.createdAt >= 300);
  });

  test('http calls an allowed loopback URL and is refused for private targets not allowed', async () => {
    const done = await engine.waitForRun(
      (await engine.startRun('raw-http', { url: `${h.upstream.url}/raw/x` }, opts)).id,
      10_000,
    );
    assert.equal(done.status, 'succeeded');
    assert.deepEqual((done.output as { echo: unknown }).echo, { hello: 'world' });
    const strict = h.engine({ workerId: 'strict' });
    strict.load(flowMap(...flows), noMappings);
    await engine.stop(1000);
    await strict.start();
    const refused = await strict.waitForRun(
      (await strict.startRun('raw-http', { url: `${h.upstream.url}/raw/y` }, opts)).id,
      10_000,
    );
    await strict.stop(1000);
    await engine.start();
    assert.equal(refused.status, 'dead');
    assert.equal((refused.error as { code: string }).code, 'ENGINE_HTTP_BLOCKED');
    assert.equal(h.upstream.calls.filter((call) => call.path === '/raw/y').length, 0);
  });

  test('wait parks until an emitted event with its key arrives; the event also triggers event flows', async () => {
    const waiting = await engine.startRun('approval', { order: 'o-7' }, opts);
    for (let i = 0; i < 100; i += 1) {
      const run = await h.store.runs.get(waiting.id);
      if (run?.status === 'queued' && run.availableAt > Date.now() + 10_000) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // An event with another key does not resume it.
    await engine.waitForRun(
      (await engine.startRun('approver', { order: 'o-8', by: 'eve' }, opts)).id,
      10_000,
    );
    assert.equal((await h.store.runs.get(waiting.id))?.status, 'queued');
    await engine.waitForRun(
      (await engine.startRun('approver', { order: 'o-7', by: 'ada' }, opts)).id,
      10_000,
    );
    const done = await engine.waitForRun(waiting.id, 10_000);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.output, 'ada');
    const triggered = (await h.store.runs.list({ flow: 'on-approved' })).runs;
    assert.equal(triggered.length, 2);
    const outputs = await Promise.all(triggered.map((run) => engine.waitForRun(run.id, 10_000)));
    assert.deepEqual(
      outputs.map((run) => run.output).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [
        { order: 'o-7', by: 'ada' },
        { order: 'o-8', by: 'eve' },
      ],
    );
  });

  test('wait with callback resumes when the callback token is delivered', async () => {
    const run = await engine.startRun('callback', {}, opts);
    let path: string | undefined;
    for (let i = 0; i < 100 && path === undefined; i += 1) {
      const url = (await h.store.runs.listSteps(run.id)).find((step) => step.stepId === 'url');
      path = url?.output as string | undefined;
      if (path === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.match(path ?? '', /^\/hooks\/_callback\/[A-Za-z0-9_-]{20,}$/);
    const token = (path ?? '').slice(engine.callbackPrefix.length);
    assert.equal(await engine.deliverCallback('not-a-token', {}), false);
    let delivered = false;
    for (let i = 0; i < 100 && !delivered; i += 1) {
      delivered = await engine.deliverCallback(token, { approved: true });
      if (!delivered) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const done = await engine.waitForRun(run.id, 10_000);
    assert.deepEqual(done.output, { url: path, got: { approved: true } });
  });

  test('wait times out: continue gives timedOut', async () => {
    const done = await engine.waitForRun((await engine.startRun('short-wait', {}, opts)).id, 10_000);
    assert.deepEqual(done.output, { timedOut: true, payload: null });
  });

  test('respond answers the synchronous waiter while the run goes on', async () => {
    const run = await engine.startRun('early', { id: 42 }, opts);
    const answered = await engine.waitForRun(run.id, 10_000);
    assert.deepEqual(answered.output, { accepted: 42 });
    assert.notEqual((await h.store.runs.get(run.id))?.status, 'succeeded', 'the run is still going');
    let final = await h.store.runs.get(run.id);
    for (let i = 0; i < 200 && final?.status !== 'succeeded'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      final = await h.store.runs.get(run.id);
    }
    assert.equal(final?.output, 'finished');
  });

  test('subflow starts the child once and continues with its output', async () => {
    const run = await engine.startRun('parent', { n: 20 }, opts);
    const done = await engine.waitForRun(run.id, 10_000);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.output, 42);
    const children = (await h.store.runs.list({ flow: 'child' })).runs;
    assert.equal(children.length, 1);
    assert.equal(children[0]?.triggerType, 'subflow');
  });
});
