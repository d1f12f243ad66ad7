import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfluxError } from '../../src/errors/index.ts';
import { defineFlow, flowMap, noMappings } from './fixtures/flows.ts';
import { createHarness, type Harness } from './fixtures/harness.ts';

const orderFlow = defineFlow({
  name: 'place-order',
  steps: [
    {
      id: 'reserve',
      type: 'call',
      system: 'inventory',
      operation: 'reserve',
      input: '{"body": {"sku": trigger.sku, "qty": trigger.qty}}',
    },
    {
      id: 'charge',
      type: 'call',
      system: 'payments',
      operation: 'charge',
      input: '{"body": {"amount": trigger.qty * 10}}',
    },
    {
      id: 'summary',
      type: 'map',
      expression:
        '{"sku": trigger.sku, "reserved": steps.reserve.body.attempt, "charged": steps.charge.status}',
    },
  ],
  output: '{"ok": steps.summary.charged = 200, "summary": steps.summary}',
});

function isCode(code: string) {
  return (error: unknown) => error instanceof ConfluxError && error.code === code;
}

describe('engine', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h.close();
  });

  test('runs the steps in order, records each, and answers the output', async () => {
    const engine = h.engine();
    engine.load(flowMap(orderFlow), noMappings);
    await engine.start();
    const run = await engine.startRun(
      'place-order',
      { sku: 'A1', qty: 2 },
      { triggerType: 'webhook', correlationId: 'corr-1' },
    );
    assert.equal(run.status, 'queued');
    const done = await engine.waitForRun(run.id, 10_000);
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.output, { ok: true, summary: { sku: 'A1', reserved: 1, charged: 200 } });
    const steps = await h.store.runs.listSteps(run.id);
    assert.deepEqual(
      steps.map((step) => [step.stepId, step.status, step.attempts]),
      [
        ['reserve', 'succeeded', 1],
        ['charge', 'succeeded', 1],
        ['summary', 'succeeded', 1],
      ],
    );
    const reserve = h.upstream.calls.find((call) => call.key === `${run.id}:reserve`);
    assert.deepEqual(reserve?.body, { body: { sku: 'A1', qty: 2 } });
    assert.equal(reserve?.correlationId, 'corr-1');
    assert.match(reserve?.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.deepEqual((await h.store.runs.get(run.id))?.output, done.output);
    await engine.stop(1000);
  });

  test('retries a retryable failure with the same idempotency key', async () => {
    const flow = defineFlow({
      name: 'flaky',
      retry: { attempts: 3, backoffMs: 5 },
      steps: [{ id: 'send', type: 'call', system: 'crm', operation: 'flaky' }],
    });
    h.upstream.behave('/crm/flaky', { statuses: [503, 429] });
    const engine = h.engine();
    engine.load(flowMap(flow), noMappings);
    await engine.start();
    const run = await engine.startRun('flaky', {}, { triggerType: 'test', correlationId: 'c' });
    const done = await engine.waitForRun(run.id, 10_000);
    assert.equal(done.status, 'succeeded');
    assert.equal(h.upstream.count(`${run.id}:send`), 3);
    const [step] = await h.store.runs.listSteps(run.id);
    assert.equal(step?.attempts, 3);
    await engine.stop(1000);
  });

  test('a non-retryable failure dead-letters the run after one call', async () => {
    const flow = defineFlow({
      name: 'rejected',
      steps: [
        { id: 'lookup', type: 'map', expression: '{"id": trigger.id}' },
        { id: 'send', type: 'call', system: 'crm', operation: 'reject' },
      ],
    });
    h.upstream.behave('/crm/reject', { statuses: [400] });
    const engine = h.engine();
    engine.load(flowMap(flow), noMappings);
    await engine.start();
    const run = await engine.startRun('rejected', { id: 7 }, { triggerType: 'test', correlationId: 'c' });
    const done = await engine.waitForRun(run.id, 10_000);
    assert.equal(done.status, 'dead');
    const error = done.error as Record<string, unknown>;
    assert.equal(error.step, 'send');
    assert.equal(error.code, 'ENGINE_STEP_FAILED');
    assert.equal(error.retryable, false);
    assert.deepEqual(error.completedSteps, ['lookup']);
    assert.equal(h.upstream.count(`${run.id}:send`), 1);
    const steps = await h.store.runs.listSteps(run.id);
    assert.deepEqual(
      steps.map((step) => [step.stepId, step.status]),
      [
        ['lookup', 'succeeded'],
        ['send', 'failed'],
      ],
    );
    await engine.stop(1000);
  });

  test('exhausted retries dead-letter the run', async () => {
    const flow = defineFlow({
      name: 'down',
      retry: { attempts: 2, backoffMs: 5 },
      steps: [{ id: 'send', type: 'call', system: 'crm', operation: 'down' }],
    });
    h.upstream.behave('/crm/down', { statuses: [503, 503, 503, 503] });
    const engine = h.engine();
    engine.load(flowMap(flow), noMappings);
    await engine.start();
    const run = await engine.startRun('down', {}, { triggerType: 'test', correlationId: 'c' });
    const done = await engine.waitForRun(run.id, 10_000);
    assert.equal(done.status, 'dead');
    assert.equal((done.error as { attempts: number }).attempts, 2);
    assert.equal(h.upstream.count(`${run.id}:send`), 2);
    await engine.stop(1000);
  });

  test('a long backoff requeues the run instead of holding the worker, and the count carries over', async () => {
    // With equal jitter the first backoff lies in [1000, 2000) ms: always past the in-process limit.
    const flow = defineFlow({
      name: 'slow-retry',
      retry: { attempts: 2, backoffMs: 2000 },
      steps: [{ id: 'send', type: 'call', system: 'crm', operation: 'slow-retry' }],
    });
    h.upstream.behave('/crm/slow-retry', { statuses: [503] });
    const engine = h.engine();
    engine.load(flowMap(flow), noMappings);
    await engine.start();
    const run = await engine.startRun('slow-retry', {}, { triggerType: 'test', correlationId: 'c' });
    let queued: { status: string; error: unknown; availableAt: number } | undefined;
    for (let i = 0; i < 200 && queued === undefined; i += 1) {
      const current = await h.store.runs.get(run.id);
      if (current?.status === 'queued' && current.error !== null) queued = current;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(queued, 'the run was requeued after the first failure');
    const failure = queued.error as { step: string; attempts: number; nextAttemptAt: number };
    assert.deepEqual({ step: failure.step, attempts: failure.attempts }, { step: 'send', attempts: 1 });
    assert.equal(queued.availableAt, failure.nextAttemptAt);
    assert.ok(queued.availableAt >= run.createdAt + 1000);
    const done = await engine.waitForRun(run.id, 15_000);
    assert.equal(done.status, 'succeeded');
    assert.equal(h.upstream.count(`${run.id}:send`), 2);
    // The second claim continued the count: this was the step's second (and last allowed) try.
    assert.equal((await h.store.runs.listSteps(run.id))[0]?.attempts, 2);
    await engine.stop(1000);
  });

  test('a mapping error is not retried', async () => {
    const flow = defineFlow({
      name: 'bad-map',
      steps: [{ id: 'm', type: 'map', expression: '$toNumber(trigger.amount)' }],
    });
    const engine = h.engine();
    engine.load(flowMap(flow), noMappings);
    await engine.start();
    const run = await engine.startRun(
      'bad-map',
      { amount: 'twelve' },
      { triggerType: 'test', correlationId: 'c' },
    );
    const done = await engine.waitForRun(run.id, 10_000);
    assert.equal(done.status, 'dead');
    assert.equal((done.error as { code: string }).code, 'MAPPING_EVALUATE_FAILED');
    assert.match((done.error as { message: string }).message, /flows\/bad-map\.yaml step "m"/);
    await engine.stop(1000);
  });

  test('skips steps already recorded for a run and reuses their stored output', async () => {
    const engine = h.engine();
    engine.load(flowMap(orderFlow), noMappings);
    const run = await engine.startRun(
      'place-order',
      { sku: 'B2', qty: 1 },
      { triggerType: 'test', correlationId: 'c' },
    );
    // An earlier claim by a worker that died after recording "reserve" (its lease ran out).
    const [claimed] = await h.store.runs.claim('dead-worker', 1, 1, Date.now());
    assert.equal(claimed?.id, run.id);
    await h.store.runs.saveStep({
      runId: run.id,
      stepId: 'reserve',
      status: 'succeeded',
      input: null,
      output: { status: 200, headers: {}, body: { attempt: 41 } },
      error: null,
      attempts: 1,
      startedAt: Date.now(),
      finishedAt: Date.now(),
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await engine.start();
    const done = await engine.waitForRun(run.id, 10_000);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.attempts, 2, 'resumed by a second claim');
    assert.equal(h.upstream.count(`${run.id}:reserve`), 0);
    assert.equal(h.upstream.count(`${run.id}:charge`), 1);
    assert.deepEqual((done.output as { summary: unknown }).summary, {
      sku: 'B2',
      reserved: 41,
      charged: 200,
    });
    await engine.stop(1000);
  });

  test('stores redacted values but hands local waiters the real output', async () => {
    const flow = defineFlow({
      name: 'token',
      steps: [
        { id: 'issue', type: 'map', expression: '{"user": trigger.user, "token": "s3cr3t-" & trigger.user}' },
      ],
    });
    const redact = (value: unknown): unknown =>
      typeof value === 'object' && value !== null && 'token' in value
        ? { ...value, token: '[redacted]' }
        : value;
    const engine = h.engine({ redact });
    engine.load(flowMap(flow), noMappings);
    await engine.start();
    const run = await engine.startRun('token', { user: 'ada' }, { triggerType: 'test', correlationId: 'c' });
    const done = await engine.waitForRun(run.id, 10_000);
    assert.deepEqual(done.output, { user: 'ada', token: 's3cr3t-ada' });
    assert.deepEqual((await h.store.runs.get(run.id))?.output, { user: 'ada', token: '[redacted]' });
    assert.deepEqual((await h.store.runs.listSteps(run.id))[0]?.output, { user: 'ada', token: '[redacted]' });
    // A starter that asks only after the run finished still gets the real output from this process.
    assert.deepEqual((await engine.waitForRun(run.id, 1000)).output, { user: 'ada', token: 's3cr3t-ada' });
    await engine.stop(1000);
  });

  test('a hot reload does not change the version a queued run executes', async () => {
    const v1 = defineFlow({ name: 'versioned', steps: [{ id: 'm', type: 'map', expression: '"v1"' }] });
    const v2 = defineFlow({ name: 'versioned', steps: [{ id: 'm', type: 'map', expression: '"v2"' }] });
    const engine = h.engine();
    engine.load(flowMap(v1), noMappings);
    const first = await engine.startRun('versioned', {}, { triggerType: 'test', correlationId: 'c' });
    engine.load(flowMap(v2), noMappings);
    const second = await engine.startRun('versioned', {}, { triggerType: 'test', correlationId: 'c' });
    assert.notEqual(first.flowVersion, second.flowVersion);
    await engine.start();
    assert.equal((await engine.waitForRun(first.id, 10_000)).output, 'v1');
    assert.equal((await engine.waitForRun(second.id, 10_000)).output, 'v2');
    await engine.stop(1000);
  });

  test('a load with a broken expression is rejected and the previous flows stay', async () => {
    const engine = h.engine();
    engine.load(flowMap(orderFlow), noMappings);
    const broken = defineFlow({ name: 'broken', steps: [{ id: 'm', type: 'map', expression: '{"a": (}' }] });
    assert.throws(
      () => engine.load(flowMap(orderFlow, broken), noMappings),
      (error: unknown) =>
        error instanceof ConfluxError &&
        error.code === 'MAPPING_COMPILE_FAILED' &&
        /flows\/broken\.yaml step "m"/.test(error.message),
    );
    const fromFile = defineFlow({
      name: 'from-file',
      steps: [{ id: 'm', type: 'map', expression: '$sum(' }],
    });
    const withMapping = {
      ...fromFile,
      steps: [{ ...fromFile.steps[0], mapping: 'order-summary' } as (typeof fromFile.steps)[number]],
    };
    const mappings = new Map([
      [
        'order-summary',
        {
          name: 'order-summary',
          expression: '$sum(',
          source: { file: 'mappings/order-summary.jsonata', line: 1, column: 1 },
        },
      ],
    ]);
    assert.throws(
      () => engine.load(flowMap(withMapping), mappings),
      (error: unknown) =>
        error instanceof ConfluxError &&
        error.message.startsWith('mappings/order-summary.jsonata (used by flows/from-file.yaml step "m")'),
    );
    const badCron = defineFlow({
      name: 'bad-cron',
      triggers: [{ type: 'schedule', cron: '61 * * * *' }],
      steps: [{ id: 'm', type: 'map', expression: '1' }],
    });
    assert.throws(() => engine.load(flowMap(badCron), noMappings), isCode('ENGINE_SCHEDULE_INVALID'));
    await assert.rejects(
      engine.startRun('broken', {}, { triggerType: 'test', correlationId: 'c' }),
      isCode('ENGINE_FLOW_NOT_FOUND'),
    );
    const run = await engine.startRun(
      'place-order',
      { sku: 'C', qty: 1 },
      { triggerType: 'test', correlationId: 'c' },
    );
    assert.equal(run.flow, 'place-order');
  });

  test('waitForRun reports unknown runs and timeouts', async () => {
    const engine = h.engine();
    engine.load(flowMap(orderFlow), noMappings);
    await assert.rejects(engine.waitForRun('no-such-run', 1000), isCode('ENGINE_RUN_NOT_FOUND'));
    // Not started: nothing executes the run.
    const run = await engine.startRun(
      'place-order',
      { sku: 'D', qty: 1 },
      { triggerType: 'test', correlationId: 'c' },
    );
    await assert.rejects(engine.waitForRun(run.id, 100), isCode('ENGINE_RUN_TIMEOUT'));
  });

  test('stop abandons a step still in flight at the deadline and hands the run back', async () => {
    const flow = defineFlow({
      name: 'stuck',
      steps: [{ id: 'send', type: 'call', system: 'crm', operation: 'stuck' }],
    });
    h.upstream.behave('/crm/stuck', { firstDelayMs: 3000 });
    const engine = h.engine();
    engine.load(flowMap(flow), noMappings);
    await engine.start();
    const run = await engine.startRun('stuck', {}, { triggerType: 'test', correlationId: 'c' });
    await h.upstream.arrived('/crm/stuck');
    await engine.stop(100);
    const abandoned = await h.store.runs.get(run.id);
    assert.equal(abandoned?.status, 'queued');
    assert.deepEqual(await h.store.runs.listSteps(run.id), []);
    const next = h.engine();
    next.load(flowMap(flow), noMappings);
    await next.start();
    assert.equal((await next.waitForRun(run.id, 10_000)).status, 'succeeded');
    assert.equal(h.upstream.count(`${run.id}:send`), 2);
    await next.stop(1000);
  });

  test('an eager start runs at once under this worker’s lease, queues without a free slot or when paused', async () => {
    const flow = defineFlow({
      name: 'eager',
      steps: [{ id: 'send', type: 'call', system: 'crm', operation: 'eager' }],
    });
    h.upstream.behave('/crm/eager', { firstDelayMs: 600 });
    const engine = h.engine({ concurrency: 1, workerId: 'eager-worker' });
    engine.load(flowMap(flow), noMappings);
    await engine.start();
    const options = { triggerType: 'webhook', correlationId: 'c', eager: true };
    const first = await engine.startRun('eager', { n: 1 }, options);
    assert.equal(first.status, 'running', 'created leased, not queued');
    assert.equal(first.leaseOwner, 'eager-worker');
    assert.equal(first.attempts, 1);
    // The one slot is taken: the second start is queued and claimed once the first finishes.
    const second = await engine.startRun('eager', { n: 2 }, options);
    assert.equal(second.status, 'queued');
    const [one, two] = await Promise.all([
      engine.waitForRun(first.id, 10_000),
      engine.waitForRun(second.id, 10_000),
    ]);
    assert.equal(one.status, 'succeeded');
    assert.equal(two.status, 'succeeded');
    assert.ok((two.finishedAt ?? 0) >= (one.finishedAt ?? 0));
    assert.equal((await h.store.runs.get(second.id))?.attempts, 1, 'claimed once');

    await h.store.flowPauses.pause('eager', 'test', Date.now());
    const paused = await engine.startRun('eager', { n: 3 }, options);
    assert.equal(paused.status, 'queued', 'a paused flow queues its runs');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await h.store.runs.get(paused.id))?.status, 'queued', 'and nobody claims them');
    await h.store.flowPauses.resume('eager');
    engine.load(flowMap(flow), noMappings);
    assert.equal((await engine.waitForRun(paused.id, 10_000)).status, 'succeeded');
    assert.equal(h.upstream.count(`${first.id}:send`), 1);
    assert.equal(h.upstream.count(`${second.id}:send`), 1);
    assert.equal(h.upstream.count(`${paused.id}:send`), 1);
    await engine.stop(1000);
  });

  test('records run metrics', async () => {
    const text = await h.metrics.registry.metrics();
    assert.match(text, /conflux_runs_total\{flow="place-order",status="succeeded"\} [1-9]/);
    assert.match(
      text,
      /conflux_step_duration_seconds_count\{flow="place-order",step="reserve",outcome="succeeded"\} [1-9]/,
    );
    assert.match(text, /conflux_queue_runs\{status="queued"\} \d+/);
  });
});
