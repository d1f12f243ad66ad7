import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { RunningPlatform } from '../../src/platform/index.ts';
import {
  CATALOG_OPENAPI,
  call,
  issueKey,
  startProject,
  startUpstream,
  systemFile,
  writeProject,
} from './harness.ts';

/** The catalog system: items, a failing and a slow endpoint, reviews; counts calls per path. */
function catalog(counts: Map<string, number>, state: { flaky: number }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    counts.set(`${req.method} ${path}`, (counts.get(`${req.method} ${path}`) ?? 0) + 1);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (path.startsWith('/items/')) return json(200, { id: path.slice(7), name: 'Lamp', price: 12.5 });
    if (path.startsWith('/reviews/')) return json(200, { stars: 4 });
    if (path === '/fail')
      return json(418, { error: 'teapot', detail: 'the upstream own error body' }, { 'x-upstream': 'yes' });
    if (path === '/slow') return void setTimeout(() => json(200, { late: true }), 1_500);
    if (path === '/flaky') {
      state.flaky++;
      if (state.flaky % 3 !== 0) return json(503, { error: 'busy' }, { 'retry-after': '0' });
      return json(200, { ok: true, attempt: state.flaky });
    }
    if (path === '/down') return json(500, { error: 'down' });
    if (path.startsWith('/echo-path')) return json(200, { path: req.url });
    return json(404, { error: 'nope' });
  };
}

describe('route targets over HTTP', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let key: string;
  const counts = new Map<string, number>();
  const state = { flaky: 0 };

  before(async () => {
    upstream = await startUpstream(catalog(counts, state));
    const u = upstream.url;
    project = writeProject({
      'specs/catalog.openapi.yaml': CATALOG_OPENAPI,
      'systems/catalog.yaml': systemFile('catalog', u),
      'apis/shop.yaml': `name: shop
basePath: /shop
visibility: public
routes:
  - { method: GET, path: '/items/{id}', system: catalog, operation: getItem }
  - { method: GET, path: /teapot, system: catalog, operation: failing }
  - { method: GET, path: /slow, system: catalog, operation: slow, resilience: { timeoutMs: 300 } }
  - { method: GET, path: /gone, url: 'http://127.0.0.1:9/nothing' }
  - { method: GET, path: '/legacy/{id}/{name}', url: '${u}/ignored', rewrite: '/echo-path' }
  - { method: GET, path: '/files/{id}', url: '${u}/x', rewrite: '/echo-path{path}' }
  - method: GET
    path: /flaky
    url: '${u}/flaky'
    resilience: { retry: { attempts: 3, backoffMs: 1, maxBackoffMs: 50 } }
  - method: POST
    path: /flaky
    url: '${u}/flaky'
    resilience: { retry: { attempts: 3, backoffMs: 1, maxBackoffMs: 50 } }
  - method: GET
    path: /down
    url: '${u}/down'
    resilience: { circuitBreaker: { errorRate: 0.5, minCalls: 3, windowMs: 10000, openMs: 60000 } }
  - method: GET
    path: '/summary/{id}'
    composite:
      calls:
        - { id: item, system: catalog, operation: getItem, input: '{ "id": params.id }' }
        - { id: reviews, system: catalog, operation: getReviews, needs: [item], input: '{ "id": calls.item.id }' }
      merge: '{ "name": calls.item.name, "stars": calls.reviews.stars }'
  - method: GET
    path: '/strict/{id}'
    composite:
      calls:
        - { id: item, system: catalog, operation: getItem }
        - { id: broken, system: catalog, operation: failing }
      onFailure: fail
  - method: GET
    path: '/lenient/{id}'
    composite:
      calls:
        - { id: item, system: catalog, operation: getItem }
        - { id: late, system: catalog, operation: slow, timeoutMs: 200 }
        - { id: after, system: catalog, operation: getReviews, needs: [late] }
      onFailure: partial
  - { method: GET, path: '/mocked/{id}', mock: { system: catalog, operation: getItem } }
`,
    });
    platform = await startProject(project.dir);
    key = await issueKey(platform, 'bob');
  });

  after(async () => {
    await platform?.stop();
    await upstream?.close();
    project?.remove();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    call(platform.gatewayUrl, 'GET', path, { headers: { 'x-api-key': key, ...headers } });

  test('proxy to a system operation; the upstream own error status and body pass through', async () => {
    const ok = await get('/shop/items/5');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { id: '5', name: 'Lamp', price: 12.5 });
    const teapot = await get('/shop/teapot');
    assert.equal(teapot.status, 418);
    assert.equal(teapot.headers['x-upstream'], 'yes');
    assert.deepEqual(teapot.json(), { error: 'teapot', detail: 'the upstream own error body' });
  });

  test('a timed-out upstream is 504, an unreachable one 502, both problem+json', async () => {
    const slow = await get('/shop/slow');
    assert.equal(slow.status, 504);
    assert.equal((slow.json() as { code: string }).code, 'GATEWAY_UPSTREAM_TIMEOUT');
    const gone = await get('/shop/gone');
    assert.equal(gone.status, 502);
    assert.equal((gone.json() as { code: string }).code, 'GATEWAY_UPSTREAM_UNREACHABLE');
  });

  test('path rewrite: a fixed path, or {path} with what follows the base path', async () => {
    assert.deepEqual((await get('/shop/legacy/1/a?x=1')).json(), { path: '/echo-path?x=1' });
    assert.deepEqual((await get('/shop/files/9')).json(), { path: '/echo-path/files/9' });
  });

  test('retries: GET is retried through 503 + Retry-After; POST without Idempotency-Key is not', async () => {
    state.flaky = 0;
    const retried = await get('/shop/flaky');
    assert.equal(retried.status, 200);
    assert.equal(state.flaky, 3);
    state.flaky = 0;
    const post = await call(platform.gatewayUrl, 'POST', '/shop/flaky', { headers: { 'x-api-key': key } });
    assert.equal(post.status, 503);
    assert.equal(state.flaky, 1);
    state.flaky = 0;
    const keyed = await call(platform.gatewayUrl, 'POST', '/shop/flaky', {
      headers: { 'x-api-key': key, 'idempotency-key': 'k1' },
    });
    assert.equal(keyed.status, 200);
    assert.equal(state.flaky, 3);
  });

  test('circuit breaker: repeated 5xx open the circuit; then 503 GATEWAY_CIRCUIT_OPEN without calling', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await get('/shop/down')).status, 500);
    const before = counts.get('GET /down');
    const open = await get('/shop/down');
    assert.equal(open.status, 503);
    assert.equal((open.json() as { code: string }).code, 'GATEWAY_CIRCUIT_OPEN');
    assert.ok(Number(open.headers['retry-after']) >= 1);
    assert.equal(counts.get('GET /down'), before, 'an open circuit does not call the upstream');
  });

  test('composite in dependency order, merged by a mapping', async () => {
    const summary = await get('/shop/summary/7');
    assert.equal(summary.status, 200);
    assert.deepEqual(summary.json(), { name: 'Lamp', stars: 4 });
  });

  test('composite onFailure fail: 502 naming the failed call', async () => {
    const strict = await get('/shop/strict/7');
    assert.equal(strict.status, 502);
    const body = strict.json() as {
      code: string;
      detail: string;
      failed: { call: string; status?: number }[];
    };
    assert.equal(body.code, 'GATEWAY_COMPOSITE_FAILED');
    assert.match(body.detail, /broken/);
    assert.deepEqual(
      body.failed.map((f) => [f.call, f.status]),
      [['broken', 418]],
    );
  });

  test('composite onFailure partial: 200 with partial: true, per-call timeout, dependents skipped', async () => {
    const lenient = await get('/shop/lenient/7');
    assert.equal(lenient.status, 200);
    const body = lenient.json() as {
      item: unknown;
      partial: boolean;
      errors: { call: string; code: string }[];
    };
    assert.equal(body.partial, true);
    assert.deepEqual(body.item, { id: '7', name: 'Lamp', price: 12.5 });
    assert.deepEqual(body.errors.map((e) => [e.call, e.code]).sort(), [
      ['after', 'GATEWAY_COMPOSITE_SKIPPED'],
      ['late', 'GATEWAY_UPSTREAM_TIMEOUT'],
    ]);
  });

  test('mock target answers from the system description without calling the system', async () => {
    const before = counts.get('GET /items/3') ?? 0;
    const mocked = await get('/shop/mocked/3');
    assert.equal(mocked.status, 200);
    const body = mocked.json() as { id: string; name: string };
    assert.equal(typeof body.name, 'string');
    assert.equal(counts.get('GET /items/3') ?? 0, before);
  });
});
