import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compileErrors, validate } from '@readme/openapi-parser';
import type { RunningPlatform } from '../../src/platform/index.ts';
import {
  ADMIN_TOKEN,
  CATALOG_OPENAPI,
  call,
  issueKey,
  startProject,
  startUpstream,
  systemFile,
  writeProject,
} from './harness.ts';

describe('admin: effective APIs, live stats, traces; published OpenAPI documents', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let publicKey: string;
  let internalKey: string;

  before(async () => {
    upstream = await startUpstream((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: (req.url ?? '').split('/').pop(), name: 'Lamp' }));
    });
    project = writeProject({
      'specs/catalog.openapi.yaml': CATALOG_OPENAPI,
      'systems/catalog.yaml': systemFile('catalog', upstream.url),
      'apis/shop.yaml': `name: shop
description: The shop
basePath: /shop
visibility: public
versioning: { scheme: uri }
versions:
  v1: { deprecated: '2025-01-01', sunset: '2031-01-01' }
  v2: {}
routes:
  - { method: GET, path: '/items/{id:int}', system: catalog, operation: getItem, description: One item }
  - { method: GET, path: /items, system: catalog, operation: listItems }
  - { method: POST, path: /items, system: catalog, operation: createItem, versions: [v2] }
  - method: GET
    path: '/summary/{id}'
    versions: [v2]
    composite:
      calls: [{ id: item, system: catalog, operation: getItem }]
`,
      'apis/ops.yaml': `name: ops
basePath: /ops
visibility: private
routes:
  - { method: GET, path: '/items/{id}', system: catalog, operation: getItem }
`,
    });
    platform = await startProject(project.dir);
    publicKey = await issueKey(platform, 'pat');
    internalKey = await issueKey(platform, 'ops-team', ['type:internal']);
  });

  after(async () => {
    await platform?.stop();
    await upstream?.close();
    project?.remove();
  });

  const admin = (path: string) =>
    call(platform.adminUrl, 'GET', path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

  test('the trace of a rejected request names the policy; an answered one times policies and target', async () => {
    const rejected = await call(platform.gatewayUrl, 'GET', '/shop/v2/items/1', {
      headers: { 'x-request-id': 'trace-rejected-1' },
    });
    assert.equal(rejected.status, 401);
    const trace = (await admin('/api/v1/traces/trace-rejected-1')).json<{
      rejectedBy: string;
      status: number;
      steps: { name: string; decision: string; code?: string }[];
    }>();
    assert.equal(trace.status, 401);
    assert.equal(trace.rejectedBy, 'api-key');
    assert.deepEqual(
      trace.steps.map((s) => [s.name, s.decision, s.code]),
      [['api-key', 'rejected', 'AUTH_KEY_MISSING']],
    );

    await call(platform.gatewayUrl, 'GET', '/shop/v2/items/1', {
      headers: { 'x-api-key': publicKey, 'x-request-id': 'trace-ok-1' },
    });
    const ok = (await admin('/api/v1/traces/trace-ok-1')).json<{
      steps: { name: string; kind: string; decision: string; ms: number }[];
      version: string;
    }>();
    assert.equal(ok.version, 'v2');
    assert.deepEqual(ok.steps.at(-1)?.name, 'proxy');
    assert.equal(ok.steps.at(-1)?.decision, 'answered');
    assert.ok(ok.steps.every((step) => step.ms >= 0));
    assert.equal((await admin('/api/v1/traces/never-seen')).status, 404);
  });

  test('effective configuration of the APIs and live stats per route', async () => {
    const apis = (await admin('/api/v1/apis')).json<{
      items: { name: string; visibility: string; routes: { path: string; versions: string[] }[] }[];
    }>();
    const shop = apis.items.find((api) => api.name === 'shop');
    assert.equal(shop?.visibility, 'public');
    assert.deepEqual(shop?.routes.find((r) => r.path === '/items')?.versions, ['v1', 'v2']);

    for (let i = 0; i < 5; i++)
      await call(platform.gatewayUrl, 'GET', `/shop/v1/items/${i}`, { headers: { 'x-api-key': publicKey } });
    await call(platform.gatewayUrl, 'GET', '/shop/v1/items/9', { headers: { 'x-api-key': 'wrong' } });
    const stats = (await admin('/api/v1/apis/shop/stats')).json<{
      routes: {
        route: string;
        version: string;
        window: { count: number; status: Record<string, number>; latencyMs: { p50: number; p99: number } };
      }[];
    }>();
    const route = stats.routes.find((r) => r.route === '/shop/v1/items/{id:int}');
    assert.equal(route?.window.count, 6);
    assert.equal(route?.window.status['2xx'], 5);
    assert.equal(route?.window.status['4xx'], 1);
    assert.ok((route?.window.latencyMs.p99 ?? -1) >= (route?.window.latencyMs.p50 ?? 0));
    assert.equal((await admin('/api/v1/apis/nothing/stats')).status, 404);
  });

  test('each version publishes a valid OpenAPI 3.1 document, visible only to allowed consumers', async () => {
    for (const version of ['v1', 'v2']) {
      const answer = await call(platform.gatewayUrl, 'GET', `/shop/${version}/openapi.json`, {
        headers: { 'x-api-key': publicKey },
      });
      assert.equal(answer.status, 200);
      const document = answer.json<{
        openapi: string;
        paths: Record<
          string,
          Record<string, { deprecated?: boolean; parameters?: { name: string; schema: unknown }[] }>
        >;
      }>();
      const result = await validate(structuredClone(document) as never);
      assert.equal(result.valid, true, result.valid ? '' : compileErrors(result));
      assert.equal(document.openapi, '3.1.0');
      const item = document.paths[`/shop/${version}/items/{id}`]?.get;
      assert.deepEqual(item?.parameters?.[0]?.schema, { type: 'integer' });
      assert.equal(item?.deprecated, version === 'v1' ? true : undefined);
      assert.equal(document.paths[`/shop/${version}/summary/{id}`] !== undefined, version === 'v2');
    }
    const privateDoc = await call(platform.gatewayUrl, 'GET', '/ops/openapi.json', {
      headers: { 'x-api-key': publicKey },
    });
    assert.equal(privateDoc.status, 404);
    const internalDoc = await call(platform.gatewayUrl, 'GET', '/ops/openapi.json', {
      headers: { 'x-api-key': internalKey },
    });
    assert.equal(internalDoc.status, 200);
    const viaAdmin = await admin('/api/v1/apis/ops/openapi.json');
    const result = await validate(viaAdmin.json() as never);
    assert.equal(result.valid, true, result.valid ? '' : compileErrors(result));
  });
});
