import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningPlatform } from '../../src/platform/index.ts';
import { call, issueKey, startProject, startUpstream, writeProject } from './harness.ts';

describe('API visibility: private, partner, public; invisible means 404', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  const keys: Record<string, string> = {};

  before(async () => {
    upstream = await startUpstream((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    const u = upstream.url;
    project = writeProject({
      'apis/internal.yaml': `name: internal\nbasePath: /internal\nvisibility: private\nroutes:\n  - { method: GET, path: /ping, url: '${u}/' }\n`,
      'apis/fenced.yaml': `name: fenced\nbasePath: /fenced\nvisibility: private\nnetworks: [10.0.0.0/8]\nroutes:\n  - { method: GET, path: /ping, url: '${u}/' }\n`,
      'apis/loopback.yaml': `name: loopback\nbasePath: /loopback\nvisibility: private\nnetworks: [127.0.0.0/8, '::1/128']\nroutes:\n  - { method: GET, path: /ping, url: '${u}/' }\n`,
      'apis/partners.yaml': `name: partners\nbasePath: /partners\nvisibility: partner\npartners: [acme]\nroutes:\n  - { method: GET, path: /orders, url: '${u}/' }\n`,
      'apis/open.yaml': `name: open\nbasePath: /open\nvisibility: public\nroutes:\n  - { method: GET, path: /ping, url: '${u}/' }\n`,
    });
    platform = await startProject(project.dir);
    keys.internal = await issueKey(platform, 'billing-team', ['type:internal']);
    keys.acme = await issueKey(platform, 'acme', ['type:partner']);
    keys.globex = await issueKey(platform, 'globex', ['type:partner']);
    keys.public = await issueKey(platform, 'someone');
  });

  after(async () => {
    await platform?.stop();
    await upstream?.close();
    project?.remove();
  });

  const get = (path: string, who: string) =>
    call(platform.gatewayUrl, 'GET', path, { headers: { 'x-api-key': keys[who] ?? '' } });

  /** The body of a 404, minus what differs per request. */
  const shape = (text: string) => {
    const { correlationId: _c, instance: _i, detail, ...rest } = JSON.parse(text) as Record<string, unknown>;
    return { ...rest, detail: String(detail).replace(/ \/\S+\.$/, ' PATH.') };
  };

  test('private: internal consumers only; others get the same 404 as an unknown path', async () => {
    assert.equal((await get('/internal/ping', 'internal')).status, 200);
    const refused = await get('/internal/ping', 'public');
    const unknown = await get('/internal/nope', 'public');
    assert.equal(refused.status, 404);
    assert.deepEqual(shape(refused.text), shape(unknown.text));
    assert.deepEqual(Object.keys(refused.headers).sort(), Object.keys(unknown.headers).sort());
    assert.equal((JSON.parse(refused.text) as { policy?: string }).policy, undefined);
    assert.equal((await get('/internal/ping', 'acme')).status, 404);
  });

  test('private with networks: callers outside the ranges get 404, inside pass', async () => {
    assert.equal((await get('/fenced/ping', 'internal')).status, 404);
    assert.equal((await get('/loopback/ping', 'internal')).status, 200);
  });

  test('partner: only the named partner; every call (and refused attempt) is audited in the store', async () => {
    assert.equal((await get('/partners/orders', 'acme')).status, 200);
    assert.equal((await get('/partners/orders', 'globex')).status, 404);
    assert.equal((await get('/partners/orders', 'internal')).status, 404);
    const second = await get('/partners/orders', 'acme');
    let records = await platform.core.store.audit.list({ actor: 'acme' });
    for (let i = 0; i < 50 && records.length < 2; i++) {
      await sleep(20);
      records = await platform.core.store.audit.list({ actor: 'acme' });
    }
    assert.equal(records.length, 2);
    assert.equal(records[0]?.action, 'gateway.partner-call');
    assert.equal(records[0]?.status, 200);
    assert.equal(records[0]?.subject, 'api:partners /partners/orders');
    assert.ok(records.some((record) => record.correlationId === second.headers['x-request-id']));
    // A refused attempt is accountable too: recorded with the 404 the caller saw.
    const refused = await platform.core.store.audit.list({ actor: 'globex' });
    assert.deepEqual(
      refused.map((record) => record.status),
      [404],
    );
  });

  test('public: any consumer with a key; without a key 401 names the policy', async () => {
    assert.equal((await get('/open/ping', 'public')).status, 200);
    assert.equal((await get('/open/ping', 'acme')).status, 200);
    const anonymous = await call(platform.gatewayUrl, 'GET', '/open/ping');
    assert.equal(anonymous.status, 401);
    assert.equal((anonymous.json() as { policy: string }).policy, 'api-key');
  });
});
