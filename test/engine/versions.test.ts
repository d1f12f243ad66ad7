import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defineFlow, flowMap, noMappings } from './fixtures/flows.ts';
import { createHarness, type Harness } from './fixtures/harness.ts';
import { pollRun } from './fixtures/poll-run.ts';

const v1 = defineFlow({
  name: 'greet',
  steps: [
    { id: 'wait', type: 'call', system: 'slow', operation: 'hold' },
    { id: 'say', type: 'map', expression: '"v1 says hello"' },
  ],
});
const v2 = defineFlow({
  name: 'greet',
  steps: [
    { id: 'wait', type: 'call', system: 'slow', operation: 'hold' },
    { id: 'say', type: 'map', expression: '"v2 says hello"' },
  ],
});

describe('flow versions', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h.close();
  });

  test('a run started on version A finishes on A after a restart with version B loaded', async () => {
    assert.notEqual(v1.version, v2.version);
    h.upstream.behave('/slow/hold', { firstDelayMs: 400 });
    const first = h.engine();
    first.load(flowMap(v1), noMappings);
    await first.start();
    const run = await first.startRun('greet', {}, { triggerType: 'webhook', correlationId: 'c-v' });
    await h.upstream.arrived('/slow/hold');
    // The process stops mid-step (deadline 0 abandons the run) and comes back with the file changed.
    await first.stop(0);
    const second = h.engine();
    second.load(flowMap(v2), noMappings);
    await second.start();
    const done = await pollRun(h.store, run.id, ['succeeded']);
    assert.equal(done.flowVersion, v1.version);
    assert.equal(done.output, 'v1 says hello');
    const fresh = await second.startRun('greet', {}, { triggerType: 'webhook', correlationId: 'c-v2' });
    const next = await pollRun(h.store, fresh.id, ['succeeded']);
    assert.equal(next.flowVersion, v2.version);
    assert.equal(next.output, 'v2 says hello');
    const versions = await h.store.flowVersions.list('greet');
    assert.deepEqual(versions.map((v) => v.id).sort(), [v1.version, v2.version].sort());
    const stored = (await h.store.flowVersions.get(v1.version))?.definition as
      | { steps: { expression?: string }[] }
      | undefined;
    assert.equal(stored?.steps[1]?.expression, '"v1 says hello"');
    await second.stop(1000);
  });
});
