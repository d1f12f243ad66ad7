/** The `control.debounce`, `control.batch` and system `limits` fields as the project loader reads them. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { loadProject } from '../../src/project/index.ts';
import { projectWith, removeTempDirs, where } from '../project/helpers.ts';

after(removeTempDirs);

const flowWith = (control: string) => `name: collect
triggers:
  - { type: webhook, path: collect }
control:
${control}
steps:
  - { id: echo, type: map, expression: 'trigger' }
`;

test('debounce and batch load with their durations in milliseconds', async () => {
  const root = projectWith({
    'flows/collect.yaml': flowWith(
      "  debounce: { period: 5s, maxWait: 1m, key: 'trigger.body.customer' }\n  concurrency: { limit: 1 }",
    ),
    'flows/batched.yaml': flowWith('  batch: { maxItems: 50, maxWait: 10s }')
      .replace('collect', 'batched')
      .replace('path: collect', 'path: batched'),
  });
  const { project, problems } = await loadProject(root);
  assert.deepEqual(problems, []);
  assert.deepEqual(project?.flows.get('collect')?.control?.debounce, {
    periodMs: 5000,
    maxWaitMs: 60_000,
    key: 'trigger.body.customer',
  });
  assert.deepEqual(project?.flows.get('batched')?.control?.batch, { maxItems: 50, maxWaitMs: 10_000 });
});

test('debounce with batch, singleton or throttle is refused at the offending key', async () => {
  const root = projectWith({
    'flows/collect.yaml': flowWith(
      "  debounce: { period: 5s }\n  batch: { maxItems: 2, maxWait: 1s }\n  singleton: { key: 'trigger.id' }",
    ),
  });
  const { problems } = await loadProject(root);
  assert.deepEqual(where(problems), ['flows/collect.yaml:6:3 schema', 'flows/collect.yaml:7:3 schema']);
  assert.match(problems[0]?.message ?? '', /control\.batch: cannot be combined with control\.debounce/);
});

test('a batch without maxWait is a schema problem', async () => {
  const root = projectWith({ 'flows/collect.yaml': flowWith('  batch: { maxItems: 2 }') });
  const { problems } = await loadProject(root);
  assert.equal(problems.length, 1);
  assert.match(problems[0]?.message ?? '', /maxWait/);
});
