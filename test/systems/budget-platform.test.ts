/**
 * One budget per system across every kind of caller in a running Conflux: gateway operation
 * routes (byte proxy), composite routes and flow `call` steps started by real webhooks all
 * take their place in the system's budget.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningPlatform } from '../../src/platform/index.ts';
import {
  CATALOG_OPENAPI,
  call,
  issueKey,
  startProject,
  systemFile,
  writeProject,
} from '../gateway/harness.ts';
import { type CountingUpstream, startCountingUpstream } from './budget-fixtures.ts';

describe('upstream budget shared by routes, composite calls and flows', () => {
  let upstream: CountingUpstream;
  let project: ReturnType<typeof writeProject>;
  let platform: RunningPlatform;
  let key: string;

  before(async () => {
    upstream = await startCountingUpstream(60);
    project = writeProject({
      'specs/catalog.openapi.yaml': CATALOG_OPENAPI,
      'systems/catalog.yaml': systemFile('catalog', upstream.url, 'limits: { concurrency: 1 }\n'),
      'apis/shop.yaml': `name: shop
basePath: /shop
visibility: public
routes:
  - { method: GET, path: '/items/{id}', system: catalog, operation: getItem }
  - method: GET
    path: '/summary/{id}'
    composite:
      calls:
        - { id: item, system: catalog, operation: getItem, input: '{ "id": params.id }' }
        - { id: reviews, system: catalog, operation: getReviews, input: '{ "id": params.id }' }
      merge: '{ "item": calls.item, "reviews": calls.reviews }'
`,
      'flows/sync-item.yaml': `name: sync-item
triggers:
  - { type: webhook, path: sync-item }
steps:
  - { id: fetch, type: call, system: catalog, operation: getItem, input: '{"id": trigger.body.id}' }
`,
    });
    platform = await startProject(project.dir);
    key = await issueKey(platform, 'budget-tester');
  });
  after(async () => {
    await platform.stop();
    await upstream.close();
    project.remove();
  });

  const get = (path: string) => call(platform.gatewayUrl, 'GET', path, { headers: { 'x-api-key': key } });
  const hook = (id: string) =>
    call(platform.gatewayUrl, 'POST', '/hooks/sync-item', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id }),
    });

  async function runsFinished(count: number): Promise<void> {
    for (let tries = 0; tries < 200; tries += 1) {
      const { runs } = await platform.core.store.runs.list({ flow: 'sync-item', limit: 100 });
      const done = runs.filter((run) => run.status === 'succeeded' || run.status === 'dead');
      if (done.length >= count) {
        assert.ok(
          done.every((run) => run.status === 'succeeded'),
          JSON.stringify(done.map((r) => r.error)),
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`fewer than ${count} runs finished`);
  }

  test('with concurrency 1, routes, composite calls and flow steps never overlap at the system', async () => {
    upstream.reset();
    const answers = await Promise.all([
      ...['1', '2', '3', '4'].map((id) => get(`/shop/items/${id}`)),
      ...['5', '6'].map((id) => get(`/shop/summary/${id}`)),
      ...['7', '8', '9', '10'].map((id) => hook(id)),
    ]);
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200, 200, 200, 200, 202, 202, 202, 202],
    );
    await runsFinished(4);
    assert.equal(upstream.arrivals.length, 4 + 2 * 2 + 4);
    assert.equal(upstream.maxInFlight(), 1, 'one call at a time, whoever made it');
  });

  test("a 429 seen by a gateway route pauses the flows' calls too", async () => {
    upstream.reset();
    const throttled = upstream.throttleNext('1');
    const first = await get('/shop/items/11');
    assert.equal(first.status, 429, 'the route passes the answer through');
    const throttledAt = await throttled;
    await hook('12');
    await runsFinished(5);
    const after429 = upstream.arrivals.filter((at) => at > throttledAt);
    assert.equal(after429.length, 1);
    assert.ok((after429[0] ?? 0) >= throttledAt + 950, 'the flow call waited for the pause');
  });
});
