import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningPlatform } from '../../src/platform/index.ts';
import { call, issueKey, startProject, startUpstream, writeProject } from './harness.ts';

describe('routing over HTTP: typed params, hosts, versions', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let key: string;

  before(async () => {
    upstream = await startUpstream((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          path: req.url,
          host: req.headers.host,
          version: req.headers['api-version'] ?? null,
        }),
      );
    });
    const u = upstream.url;
    project = writeProject({
      'apis/typed.yaml': `name: typed
basePath: /typed
visibility: public
routes:
  - { method: GET, path: '/items/{id:int}', url: '${u}/by-number/{id}' }
  - { method: GET, path: '/items/{id:uuid}', url: '${u}/by-uuid/{id}' }
  - { method: GET, path: '/items/{slug}', url: '${u}/by-slug/{slug}' }
  - { method: GET, path: '/items/new', url: '${u}/new-form' }
  - { method: DELETE, path: '/items/{id:int}', url: '${u}/deleted/{id}' }
`,
      'apis/hosted.yaml': `name: hosted
basePath: /h
hosts: [api.example.com, '*.tenants.example.com']
visibility: public
routes:
  - { method: GET, path: /where, url: '${u}/hosted' }
`,
      'apis/anyhost.yaml': `name: anyhost
basePath: /h
visibility: public
routes:
  - { method: GET, path: /where, url: '${u}/any' }
`,
      'apis/uri.yaml': `name: uri
basePath: /shop
visibility: public
versioning: { scheme: uri, default: v2 }
versions:
  v1: { deprecated: '2025-01-01', sunset: '2030-06-30', link: 'https://docs.example.com/v1-migration' }
  v2: {}
routes:
  - { method: GET, path: /orders, url: '${u}/orders-all-versions' }
  - { method: GET, path: /legacy, versions: [v1], url: '${u}/legacy' }
`,
      'apis/header.yaml': `name: header
basePath: /hdr
visibility: public
versioning: { scheme: header, header: API-Version }
versions:
  v1: { deprecated: '2025-03-01T12:00:00Z' }
  v2: {}
routes:
  - { method: GET, path: /thing, versions: [v1], url: '${u}/thing-v1' }
  - { method: GET, path: /thing, versions: [v2], url: '${u}/thing-v2' }
`,
      'apis/media.yaml': `name: media
basePath: /media
visibility: public
versioning: { scheme: media-type, default: v1 }
versions: { v1: {}, v2: {} }
routes:
  - { method: GET, path: /doc, versions: [v1], url: '${u}/doc-1' }
  - { method: GET, path: /doc, versions: [v2], url: '${u}/doc-2' }
`,
    });
    platform = await startProject(project.dir);
    key = await issueKey(platform, 'alice');
  });

  after(async () => {
    await platform?.stop();
    await upstream?.close();
    project?.remove();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    call(platform.gatewayUrl, 'GET', path, { headers: { 'x-api-key': key, ...headers } });

  test('typed parameters pick the route whose type matches; literals win', async () => {
    assert.equal((await get('/typed/items/42')).json().path, '/by-number/42');
    assert.equal(
      (await get('/typed/items/0b7c63a4-3f1e-4c1a-9f7e-1a2b3c4d5e6f')).json().path,
      '/by-uuid/0b7c63a4-3f1e-4c1a-9f7e-1a2b3c4d5e6f',
    );
    assert.equal((await get('/typed/items/lamp-red')).json().path, '/by-slug/lamp-red');
    assert.equal((await get('/typed/items/new')).json().path, '/new-form');
  });

  test('405 lists the allowed methods; 404 for unknown paths; both problem+json', async () => {
    const wrongMethod = await call(platform.gatewayUrl, 'PUT', '/typed/items/42', {
      headers: { 'x-api-key': key },
    });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.allow, 'DELETE, GET');
    assert.match(String(wrongMethod.headers['content-type']), /application\/problem\+json/);
    const missing = await get('/typed/nothing');
    assert.equal(missing.status, 404);
    assert.equal((missing.json() as { code: string }).code, 'GATEWAY_ROUTE_NOT_FOUND');
  });

  test('host-bound APIs answer on their hosts (exact and wildcard); others fall back to any-host', async () => {
    assert.equal((await get('/h/where', { host: 'api.example.com' })).json().path, '/hosted');
    assert.equal((await get('/h/where', { host: 'acme.tenants.example.com:8080' })).json().path, '/hosted');
    assert.equal((await get('/h/where', { host: 'tenants.example.com' })).json().path, '/any');
    assert.equal((await get('/h/where', { host: 'other.test' })).json().path, '/any');
  });

  test('URI versioning: version segment, default version without it, deprecation headers', async () => {
    const v1 = await get('/shop/v1/orders');
    assert.equal(v1.status, 200);
    assert.equal(v1.json().path, '/orders-all-versions');
    assert.equal(v1.headers['api-version'], 'v1');
    assert.equal(v1.headers.deprecation, `@${Date.parse('2025-01-01T00:00:00Z') / 1000}`);
    assert.equal(v1.headers.sunset, 'Sun, 30 Jun 2030 00:00:00 GMT');
    assert.equal(
      v1.headers.link,
      '<https://docs.example.com/v1-migration>; rel="deprecation"; type="text/html", <https://docs.example.com/v1-migration>; rel="sunset"; type="text/html"',
    );
    const v2 = await get('/shop/v2/orders');
    assert.equal(v2.headers['api-version'], 'v2');
    assert.equal(v2.headers.deprecation, undefined);
    assert.equal(v2.headers.sunset, undefined);
    assert.equal((await get('/shop/orders')).headers['api-version'], 'v2');
    assert.equal((await get('/shop/v1/legacy')).status, 200);
    assert.equal((await get('/shop/v2/legacy')).status, 404);
  });

  test('header versioning: API-Version picks the route, absent means the default (last)', async () => {
    const one = await get('/hdr/thing', { 'api-version': 'v1' });
    assert.equal(one.json().path, '/thing-v1');
    assert.match(String(one.headers.deprecation), /^@\d+$/);
    assert.equal((await get('/hdr/thing', { 'api-version': '1' })).json().path, '/thing-v1');
    assert.equal((await get('/hdr/thing')).json().path, '/thing-v2');
    assert.equal((await get('/hdr/thing', { 'api-version': 'v9' })).status, 404);
  });

  test('media-type versioning reads the version parameter of Accept', async () => {
    assert.equal(
      (await get('/media/doc', { accept: 'application/vnd.acme+json; version=2' })).json().path,
      '/doc-2',
    );
    assert.equal(
      (await get('/media/doc', { accept: 'application/vnd.acme+json;version="v1"' })).json().path,
      '/doc-1',
    );
    assert.equal((await get('/media/doc', { accept: 'application/json' })).json().path, '/doc-1');
  });
});
