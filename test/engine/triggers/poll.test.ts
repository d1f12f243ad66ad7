import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { flowMap, noMappings } from '../fixtures/flows.ts';
import { createHarness, type Harness } from '../fixtures/harness.ts';
import { flow } from '../steps/define.ts';

let h: Harness;
before(async () => {
  h = await createHarness();
});
after(async () => {
  await h.close();
});

const items = '[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]';

test('poll fires once per new item, by cursor and by content hash, across ticks and two engines', async () => {
  const flows = flowMap(
    flow({
      name: 'by-cursor',
      triggers: [
        {
          type: 'poll',
          system: 'crm',
          operation: 'list',
          everyMs: 200,
          input: `{"body": {"items": ${items}, "since": cursor}}`,
          items: 'body.echo.body.items',
          cursor: 'id',
        },
      ],
      steps: [{ id: 'seen', type: 'map', expression: 'trigger.name' }],
    }),
    flow({
      name: 'by-hash',
      triggers: [
        {
          type: 'poll',
          system: 'crm',
          operation: 'list2',
          everyMs: 200,
          input: `{"body": {"items": ${items}}}`,
          items: 'body.echo.body.items',
        },
      ],
      steps: [{ id: 'seen', type: 'map', expression: 'trigger.name' }],
    }),
  );
  const engines = [h.engine({ workerId: 'poll-1' }), h.engine({ workerId: 'poll-2' })];
  for (const engine of engines) {
    engine.load(flows, noMappings);
    await engine.start();
  }
  // Several ticks pass; each tick is claimed by one engine.
  for (
    let i = 0;
    i < 100 && h.upstream.calls.filter((call) => call.path === '/crm/list').length < 4;
    i += 1
  ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const engine of engines) await engine.stop(1000);
  const polls = h.upstream.calls.filter((call) => call.path === '/crm/list');
  assert.ok(polls.length >= 3, `polled on several ticks (got ${polls.length})`);
  // After the first tick the stored cursor goes into the request.
  // Once a tick stored the cursor, later ticks send it (a tick may overlap the one before it;
  // the run id derived from the item keeps that harmless).
  const sent = polls.map((call) => (call.body as { body: { since: number | null } }).body.since);
  assert.equal(sent[0], null);
  assert.ok(sent.includes(2), `the stored cursor was sent (${JSON.stringify(sent)})`);
  for (const name of ['by-cursor', 'by-hash']) {
    const runs = (await h.store.runs.list({ flow: name })).runs;
    assert.deepEqual(
      runs.map((run) => (run.input as { id: number }).id).sort(),
      [1, 2],
      `${name}: one run per item`,
    );
    assert.ok(runs.every((run) => run.triggerType === 'poll'));
  }
});
