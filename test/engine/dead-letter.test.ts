import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { replayRun, replayRuns } from '../../src/engine/index.ts';
import { ConfluxError } from '../../src/errors/index.ts';
import type { FlowDefinition } from '../../src/project/index.ts';
import { defineFlow, flowMap, noMappings } from './fixtures/flows.ts';
import { createHarness, type Harness } from './fixtures/harness.ts';
import { pollRun } from './fixtures/poll-run.ts';

/** defineFlow with extra per-step fields (retry, compensate) the fixture's spec type does not list. */
function withStepFields(flow: FlowDefinition, fields: Record<string, object>): FlowDefinition {
  return {
    ...flow,
    steps: flow.steps.map((step) => ({ ...step, ...(fields[step.id] ?? {}) })),
  } as FlowDefinition;
}

const orderFlow = withStepFields(
  defineFlow({
    name: 'order',
    retry: { attempts: 5, backoffMs: 5 },
    steps: [
      {
        id: 'reserve',
        type: 'call',
        system: 'inventory',
        operation: 'reserve',
        input: '{"body": {"sku": trigger.sku}}',
      },
      {
        id: 'charge',
        type: 'call',
        system: 'payments',
        operation: 'charge',
        input: '{"body": {"amount": trigger.amount}}',
      },
    ],
    output: '{"charged": steps.charge.body.echo.body.amount}',
  }),
  // Per-step retry: two tries for the charge, whatever the flow says.
  { charge: { retry: { attempts: 2, backoffMs: 5 } } },
);

const sagaFlow = withStepFields(
  defineFlow({
    name: 'saga',
    retry: { attempts: 1, backoffMs: 5 },
    steps: [
      {
        id: 'hold',
        type: 'call',
        system: 'inventory',
        operation: 'hold',
        input: '{"body": {"sku": trigger.sku}}',
      },
      { id: 'note', type: 'map', expression: '"noted"' },
      {
        id: 'pay',
        type: 'call',
        system: 'payments',
        operation: 'pay',
        input: '{"body": {"sku": trigger.sku}}',
      },
    ],
  }),
  {
    hold: {
      compensate: {
        system: 'inventory',
        operation: 'release',
        input: '{"body": {"hold": steps.hold.body.key}}',
      },
    },
  },
);

function isCode(code: string) {
  return (error: unknown) => error instanceof ConfluxError && error.code === code;
}

describe('dead letters, replay and compensation', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
    const engine = h.engine();
    engine.load(flowMap(orderFlow, sagaFlow), noMappings);
    await engine.start();
    (h as Harness & { started: typeof engine }).started = engine;
  });
  after(async () => {
    await h.close();
  });
  const engineOf = () => (h as Harness & { started: ReturnType<Harness['engine']> }).started;

  test('a step out of its own tries dead-letters the run with full context; replay from the failed step keeps completed steps', async () => {
    h.upstream.behave('/payments/charge', { statuses: [503, 503] });
    const run = await engineOf().startRun(
      'order',
      { sku: 'A1', amount: 10 },
      { triggerType: 'webhook', correlationId: 'c-dl' },
    );
    const dead = await pollRun(h.store, run.id, ['dead']);
    const error = dead.error as Record<string, unknown>;
    assert.equal(error.step, 'charge');
    assert.equal(error.attempts, 2, 'the step retry policy (2) wins over the flow policy (5)');
    assert.equal(error.retryable, true);
    assert.deepEqual(error.completedSteps, ['reserve']);
    assert.deepEqual(dead.input, { sku: 'A1', amount: 10 });
    const steps = await h.store.runs.listSteps(run.id);
    assert.deepEqual(
      steps.map((s) => [s.stepId, s.status]),
      [
        ['reserve', 'succeeded'],
        ['charge', 'failed'],
      ],
    );
    assert.equal(h.upstream.count(`${run.id}:charge`), 2);

    // The system is fixed; the operator corrects the amount and replays from the failed step.
    h.upstream.behave('/payments/charge', {});
    const replayed = await replayRun(h.store, run.id, { input: { sku: 'A1', amount: 12 } });
    assert.equal(replayed.status, 'queued');
    assert.equal(replayed.replays, 1);
    const done = await pollRun(h.store, run.id, ['succeeded']);
    assert.deepEqual(done.output, { charged: 12 });
    assert.equal(h.upstream.count(`${run.id}:reserve`), 1, 'a completed step is not executed again');
    assert.equal(
      h.upstream.count(`${run.id}:charge:replay-1`),
      1,
      'the replayed step uses a fresh idempotency key',
    );
    const after = await h.store.runs.listSteps(run.id);
    assert.deepEqual(
      after.map((s) => [s.stepId, s.status]),
      [
        ['reserve', 'succeeded'],
        ['charge', 'succeeded'],
      ],
    );
  });

  test('replaying a run that is not dead is refused', async () => {
    const run = await engineOf().startRun(
      'order',
      { sku: 'B', amount: 1 },
      { triggerType: 'webhook', correlationId: 'c-ok' },
    );
    await pollRun(h.store, run.id, ['succeeded']);
    await assert.rejects(replayRun(h.store, run.id), isCode('ENGINE_REPLAY_INVALID'));
    await assert.rejects(replayRun(h.store, 'no-such-run'), isCode('ENGINE_RUN_NOT_FOUND'));
  });

  test('bulk replay puts every matching dead run back and they all finish', async () => {
    h.upstream.behave('/payments/charge', { statuses: [422] });
    const runs = await Promise.all(
      [1, 2, 3].map((n) =>
        engineOf().startRun(
          'order',
          { sku: `bulk-${n}`, amount: n },
          { triggerType: 'webhook', correlationId: 'c-bulk' },
        ),
      ),
    );
    for (const run of runs) {
      const dead = await pollRun(h.store, run.id, ['dead']);
      assert.equal((dead.error as { attempts: number }).attempts, 1, 'a 422 is not retried');
    }
    h.upstream.behave('/payments/charge', {});
    const result = await replayRuns(h.store, { flow: 'order', correlationId: 'c-bulk' });
    assert.deepEqual([...result.replayed].sort(), runs.map((r) => r.id).sort());
    assert.deepEqual(result.skipped, []);
    for (const run of runs) await pollRun(h.store, run.id, ['succeeded']);
  });

  test('a run dying after side effects runs the compensations, newest first, exactly once', async () => {
    h.upstream.behave('/payments/pay', { statuses: [400] });
    const run = await engineOf().startRun(
      'saga',
      { sku: 'S1' },
      { triggerType: 'webhook', correlationId: 'c-saga' },
    );
    const dead = await pollRun(h.store, run.id, ['dead']);
    const error = dead.error as { step: string; compensation: { compensated: string[]; failed: unknown[] } };
    assert.equal(error.step, 'pay');
    assert.deepEqual(error.compensation, { compensated: ['hold'], failed: [] });
    const release = h.upstream.calls.filter((call) => call.path === '/inventory/release');
    assert.equal(release.length, 1);
    assert.equal(release[0]?.key, `${run.id}:hold__compensate`);
    assert.deepEqual(release[0]?.body, { body: { hold: `${run.id}:hold` } });
    // Completed steps were undone: continuing from the failed step would be wrong.
    await assert.rejects(replayRun(h.store, run.id), isCode('ENGINE_REPLAY_INVALID'));
    h.upstream.behave('/payments/pay', {});
    await replayRun(h.store, run.id, { fromFailedStep: false });
    await pollRun(h.store, run.id, ['succeeded']);
    assert.equal(h.upstream.count(`${run.id}:hold:replay-1`), 1, 'starting over runs every step again');
    const steps = await h.store.runs.listSteps(run.id);
    assert.deepEqual(steps.map((s) => s.stepId).sort(), ['hold', 'note', 'pay']);
  });
});
