/**
 * Dead letters over the admin API: list dead runs, inspect one with its steps, replay it with
 * an edited input from the failed step, bulk-replay by filter, pause and resume a flow.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createAdminServer } from '../../src/admin/index.ts';
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { createMetrics } from '../../src/observability/index.ts';
import { type Core, createFlowOperations, openCore, readSettings } from '../../src/platform/index.ts';
import { type CountingUpstream, startCountingUpstream } from './fixtures/counting-upstream.ts';
import { defineFlow, flowMap, noMappings } from './fixtures/flows.ts';
import { silentLogger } from './fixtures/harness.ts';
import { createHttpCaller } from './fixtures/http-caller.ts';
import { pollRun } from './fixtures/poll-run.ts';

const TOKEN = 'test-admin-token-0123456789abcdef';
const flow = defineFlow({
  name: 'ship',
  retry: { attempts: 1, backoffMs: 5 },
  steps: [
    {
      id: 'label',
      type: 'call',
      system: 'carrier',
      operation: 'label',
      input: '{"body": {"to": trigger.to}}',
    },
    { id: 'notify', type: 'call', system: 'crm', operation: 'notify', input: '{"body": {"to": trigger.to}}' },
  ],
});

describe('dead letters over the admin API', () => {
  let dir: string;
  let core: Core;
  let engine: Engine;
  let upstream: CountingUpstream;
  let admin: Awaited<ReturnType<typeof createAdminServer>>;
  let base: string;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'conflux-dl-admin-'));
    core = await openCore({
      projectRoot: dir,
      settings: readSettings({}),
      environment: 'dev',
      logger: silentLogger,
    });
    upstream = await startCountingUpstream();
    const metrics = createMetrics();
    engine = createEngine({
      store: core.store,
      systems: createHttpCaller(upstream.url),
      redact: (value) => core.redactor.redact(value),
      logger: silentLogger,
      metrics,
      pollIntervalMs: 50,
    });
    engine.load(flowMap(flow), noMappings);
    await engine.start();
    admin = await createAdminServer(
      {
        logger: silentLogger,
        metrics,
        keys: core.keys,
        runs: core.store.runs,
        collectedTriggers: (runId) => core.store.flowControl.collected(runId),
        secrets: { set: (name, value) => core.vault.set(name, value), list: () => core.vault.list() },
        verifyAdminToken: (token) => token === TOKEN,
        ready: async () => true,
        project: () => ({ name: 't', environment: 'dev', systems: [], apis: [], flows: [] }),
        ...createFlowOperations(core.store, () => flowMap(flow)),
      },
      'test',
    );
    base = await admin.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await engine.stop(1000);
    await admin.close();
    await upstream.close();
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('list, inspect, edit and replay a dead run from its failed step; bulk replay the rest', async () => {
    upstream.behave('/crm/notify', { statuses: [400] });
    const runs = await Promise.all(
      ['a@x', 'b@x', 'c@x'].map((to) =>
        engine.startRun('ship', { to }, { triggerType: 'webhook', correlationId: 'batch-7' }),
      ),
    );
    for (const run of runs) await pollRun(core.store, run.id, ['dead']);

    const dead = await call('GET', '/api/v1/runs?status=dead&flow=ship&correlationId=batch-7&limit=2');
    assert.equal(dead.status, 200);
    assert.equal((dead.body.items as unknown[]).length, 2);
    assert.equal(typeof dead.body.next, 'string', 'a second page exists');

    const first = runs[0]?.id ?? '';
    const inspected = await call('GET', `/api/v1/runs/${first}`);
    assert.equal(inspected.body.status, 'dead');
    assert.equal((inspected.body.error as { step: string }).step, 'notify');
    const steps = inspected.body.steps as {
      stepId: string;
      status: string;
      attempts: number;
      durationMs: number;
    }[];
    assert.deepEqual(
      steps.map((s) => [s.stepId, s.status]),
      [
        ['label', 'succeeded'],
        ['notify', 'failed'],
      ],
    );

    upstream.behave('/crm/notify', {});
    const replayed = await call('POST', `/api/v1/runs/${first}/replay`, {
      fromFailedStep: true,
      input: { to: 'fixed@x' },
    });
    assert.equal(replayed.status, 202);
    assert.equal(replayed.body.replays, 1);
    await pollRun(core.store, first, ['succeeded']);
    assert.equal(upstream.count(`${first}:label`), 1, 'the completed step ran once');
    const notify = upstream.calls.find((c) => c.key === `${first}:notify:replay-1`);
    assert.deepEqual(notify?.body, { body: { to: 'fixed@x' } });

    const again = await call('POST', `/api/v1/runs/${first}/replay`, {});
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'ENGINE_REPLAY_INVALID');

    const bulk = await call('POST', '/api/v1/runs/replay', {
      filter: { flow: 'ship', correlationId: 'batch-7' },
    });
    assert.equal(bulk.status, 202);
    assert.equal((bulk.body.replayed as string[]).length, 2);
    for (const run of runs) await pollRun(core.store, run.id, ['succeeded']);
  });

  test('pause and resume a flow; versions and unknown flows', async () => {
    const paused = await call('POST', '/api/v1/flows/ship/pause', { reason: 'carrier outage' });
    assert.deepEqual(paused.body, { flow: 'ship', paused: true, changed: true });
    const run = await engine.startRun(
      'ship',
      { to: 'p@x' },
      { triggerType: 'webhook', correlationId: 'paused' },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await core.store.runs.get(run.id))?.status, 'queued');
    const listed = await call('GET', '/api/v1/flows');
    assert.equal((listed.body.items as { paused: boolean }[])[0]?.paused, true);
    await call('POST', '/api/v1/flows/ship/resume');
    await pollRun(core.store, run.id, ['succeeded']);
    const versions = await call('GET', '/api/v1/flows/ship/versions');
    assert.deepEqual(
      (versions.body.items as { id: string }[]).map((v) => v.id),
      [flow.version],
    );
    const missing = await call('POST', '/api/v1/flows/nope/pause', {});
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'ENGINE_FLOW_NOT_FOUND');
  });
});
