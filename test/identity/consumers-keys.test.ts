import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningPlatform } from '../../src/platform/index.ts';
import { admin, call, startUpstream, writeProject } from './identity-harness.ts';

/** Polls until `check` holds; bounded in attempts (the cache bound is 2 s). */
async function eventually(check: () => Promise<boolean>, attempts = 40): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

describe('consumers, plans, keys with rotation, partner onboarding, audit trail (over HTTP)', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  const logs: string[] = [];

  before(async () => {
    upstream = await startUpstream((_req, res) => res.end('{"ok":true}'));
    project = writeProject({
      'apis/catalog.yaml': `name: catalog\nbasePath: /catalog\nvisibility: public\nroutes:\n  - { method: GET, path: /items, url: '${upstream.url}/' }\n`,
      'apis/partners.yaml': `name: partners\nbasePath: /partners\nvisibility: partner\nroutes:\n  - { method: GET, path: /orders, url: '${upstream.url}/' }\n`,
      'apis/billing.yaml': `name: billing\nbasePath: /billing\nvisibility: partner\nroutes:\n  - { method: GET, path: /invoices, url: '${upstream.url}/' }\n`,
    });
    const { createLogger } = await import('../../src/observability/index.ts');
    const { startPlatform } = await import('../../src/platform/index.ts');
    const { ADMIN_TOKEN } = await import('./identity-harness.ts');
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => logs.push(line) },
    } as never);
    platform = await startPlatform({
      projectRoot: project.dir,
      env: {
        CONFLUX_GATEWAY_PORT: '0',
        CONFLUX_ADMIN_PORT: '0',
        CONFLUX_GATEWAY_HOST: '127.0.0.1',
        CONFLUX_ADMIN_TOKEN: ADMIN_TOKEN,
      },
      version: 'test',
      logger,
    });
  });

  after(async () => {
    await platform?.stop();
    await upstream?.close();
    project?.remove();
  });

  const get = (path: string, key: string) =>
    call(platform.gatewayUrl, 'GET', path, { headers: { 'x-api-key': key } });

  test("a key may not carry scopes its consumer lacks; without scopes it gets the consumer's", async () => {
    assert.equal(
      (
        await admin(platform, 'POST', '/api/v1/plans', {
          name: 'gold',
          rateLimit: { requests: 100, perSeconds: 1 },
          scopes: [],
        })
      ).status,
      201,
    );
    assert.equal(
      (
        await admin(platform, 'POST', '/api/v1/consumers', {
          name: 'shop',
          type: 'public',
          plan: 'gold',
          scopes: ['catalog:read'],
          contact: { email: 'ops@shop.example' },
        })
      ).status,
      201,
    );
    const wide = await admin(platform, 'POST', '/api/v1/keys', {
      consumer: 'shop',
      scopes: ['catalog:read', 'catalog:write'],
    });
    assert.equal(wide.status, 400);
    assert.equal(wide.json.code, 'AUTH_SCOPE_TOO_WIDE');
    const issued = await admin(platform, 'POST', '/api/v1/keys', { consumer: 'shop' });
    assert.equal(issued.status, 201);
    assert.deepEqual(issued.json.record.scopes, ['catalog:read']);
    assert.equal((await get('/catalog/items', issued.json.key)).status, 200);
  });

  test('rotation with overlap: both keys work, then the old one stops', async () => {
    const issued = await admin(platform, 'POST', '/api/v1/keys', { consumer: 'shop', name: 'rotating' });
    const oldKey = issued.json.key as string;
    const rotated = await admin(platform, 'POST', `/api/v1/keys/${issued.json.record.id}/rotate`, {
      overlapSeconds: 2,
    });
    assert.equal(rotated.status, 201, rotated.text);
    const newKey = rotated.json.key as string;
    assert.notEqual(newKey, oldKey);
    assert.equal((await get('/catalog/items', oldKey)).status, 200, 'old key works in the overlap');
    assert.equal((await get('/catalog/items', newKey)).status, 200);
    assert.ok(
      await eventually(async () => (await get('/catalog/items', oldKey)).status === 401, 60),
      'old key stops after the overlap',
    );
    assert.equal((await get('/catalog/items', newKey)).status, 200);
    const again = await admin(platform, 'POST', `/api/v1/keys/${issued.json.record.id}/rotate`, {
      overlapSeconds: 0,
    });
    assert.equal(again.status, 404, 'a rotated key cannot be rotated twice');
  });

  test('revocation and disabling a consumer take effect within the cache bound', async () => {
    const issued = await admin(platform, 'POST', '/api/v1/keys', { consumer: 'shop', name: 'to-revoke' });
    assert.equal((await get('/catalog/items', issued.json.key)).status, 200);
    assert.equal((await admin(platform, 'DELETE', `/api/v1/keys/${issued.json.record.id}`)).status, 204);
    assert.ok(await eventually(async () => (await get('/catalog/items', issued.json.key)).status === 401));

    const other = await admin(platform, 'POST', '/api/v1/keys', { consumer: 'shop', name: 'disable-me' });
    assert.equal((await get('/catalog/items', other.json.key)).status, 200);
    assert.equal((await admin(platform, 'PATCH', '/api/v1/consumers/shop', { disabled: true })).status, 200);
    assert.ok(await eventually(async () => (await get('/catalog/items', other.json.key)).status === 401));
    assert.equal((await admin(platform, 'PATCH', '/api/v1/consumers/shop', { disabled: false })).status, 200);
    assert.ok(await eventually(async () => (await get('/catalog/items', other.json.key)).status === 200));
  });

  test('partner onboarding: exactly the named APIs, credentials shown once', async () => {
    const onboarded = await admin(platform, 'POST', '/api/v1/partners', {
      name: 'acme',
      apis: ['partners'],
      scopes: ['orders:read'],
      contact: { name: 'Acme Integrations', email: 'api@acme.example' },
      credentials: ['apiKey', 'clientCredentials'],
    });
    assert.equal(onboarded.status, 201, onboarded.text);
    assert.equal(onboarded.json.consumer.type, 'partner');
    assert.match(onboarded.json.apiKey.key, /^cfx_/);
    assert.match(onboarded.json.oauthClient.clientSecret, /^cfxcs_/);
    const key = onboarded.json.apiKey.key as string;
    assert.equal((await get('/partners/orders', key)).status, 200);
    assert.equal((await get('/billing/invoices', key)).status, 404, 'another partner API stays invisible');
    const listed = await admin(platform, 'GET', '/api/v1/oauth/clients');
    assert.ok(!listed.text.includes(onboarded.json.oauthClient.clientSecret), 'secrets never listed');
    const keys = await admin(platform, 'GET', '/api/v1/keys');
    assert.ok(!keys.text.includes(key));
  });

  test('plan change applies to the next request; plans are listed', async () => {
    assert.equal(
      (await admin(platform, 'POST', '/api/v1/plans', { name: 'silver', apis: ['billing'] })).status,
      201,
    );
    const issued = await admin(platform, 'POST', '/api/v1/keys', { consumer: 'shop', name: 'plan-change' });
    assert.equal((await get('/catalog/items', issued.json.key)).status, 200);
    assert.equal((await admin(platform, 'PATCH', '/api/v1/consumers/shop', { plan: 'silver' })).status, 200);
    // silver allows only billing: catalog is now invisible to shop.
    assert.equal((await get('/catalog/items', issued.json.key)).status, 404);
    assert.equal((await admin(platform, 'PATCH', '/api/v1/consumers/shop', { plan: 'gold' })).status, 200);
    assert.equal((await get('/catalog/items', issued.json.key)).status, 200);
    assert.equal(
      (await admin(platform, 'DELETE', '/api/v1/plans/gold')).status,
      409,
      'a plan in use cannot be deleted',
    );
  });

  test('audit trail: admin changes with before/after and redacted secrets, filters, paging, JSON lines', async () => {
    const page = await admin(platform, 'GET', '/api/v1/audit?action=consumer.update&limit=2');
    assert.equal(page.status, 200);
    assert.equal(page.json.items.length, 2);
    const event = page.json.items[0];
    assert.equal(event.actor, 'bootstrap');
    assert.equal(event.actorType, 'admin');
    assert.ok(event.before && event.after && event.correlationId);
    assert.ok(page.json.next);
    const second = await admin(
      platform,
      'GET',
      `/api/v1/audit?action=consumer.update&limit=2&cursor=${page.json.next}`,
    );
    assert.notEqual(second.json.items[0].id, event.id);
    const onboarding = await admin(platform, 'GET', '/api/v1/audit?action=partner.onboard');
    const text = JSON.stringify(onboarding.json);
    assert.match(text, /\[REDACTED\]/);
    assert.doesNotMatch(text, /cfx_[a-z0-9]+_[0-9A-Za-z]{36}/, 'no key in the audit trail');
    assert.doesNotMatch(text, /cfxcs_/);
    const exported = await fetch(`${platform.adminUrl}/api/v1/audit?format=jsonl`, {
      headers: { authorization: 'Bearer gateway-test-admin-token-0123456789' },
    });
    assert.equal(exported.headers.get('content-type')?.startsWith('application/x-ndjson'), true);
    const lines = (await exported.text()).trim().split('\n');
    assert.ok(lines.length >= 5);
    for (const line of lines) JSON.parse(line);
    // Partner-API calls are in the same trail (the gateway records them).
    assert.ok(
      await eventually(
        async () => (await admin(platform, 'GET', '/api/v1/audit?actor=acme')).json.items.length > 0,
      ),
    );
  });

  test('keys never appear in logs', async () => {
    const issued = await admin(platform, 'POST', '/api/v1/keys', { consumer: 'shop', name: 'log-check' });
    await get('/catalog/items', issued.json.key);
    await get('/catalog/items', `${issued.json.key}x`);
    assert.ok(logs.length > 0);
    assert.ok(!logs.join('').includes(issued.json.key));
  });
});
