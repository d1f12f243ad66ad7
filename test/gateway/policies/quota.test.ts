import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { json, startProject, type TestProject, Upstream } from './harness.ts';

let upstream: Upstream;
let project: TestProject;

before(async () => {
  upstream = new Upstream();
  await upstream.start();
  project = await startProject({
    apis: {
      metered: `name: metered
basePath: /metered
visibility: public
auth: { type: none }
policies:
  quota:
    default: { perDay: 3, perMonth: 100 }
routes:
  - { method: GET, path: /echo, url: '${upstream.url}/echo' }
`,
    },
  });
});

after(async () => {
  await project.stop();
  await upstream.stop();
});

test('the daily quota is stored: it survives a restart, then refuses with 429 and Retry-After', async () => {
  for (let i = 0; i < 2; i++) {
    const response = await fetch(`${project.url}/metered/echo`);
    assert.equal(response.status, 200);
    await response.arrayBuffer();
  }
  await project.restart();
  const third = await fetch(`${project.url}/metered/echo`);
  assert.equal(third.status, 200);
  await third.arrayBuffer();
  const fourth = await fetch(`${project.url}/metered/echo`);
  assert.equal(fourth.status, 429);
  const retryAfter = Number(fourth.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 86_400, `Retry-After ${retryAfter}`);
  const problem = await json(fourth);
  assert.equal(problem.code, 'GATEWAY_QUOTA_EXCEEDED');
  assert.equal(problem.policy, 'quota');
});
