import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import type { RunningPlatform } from '../../src/platform/index.ts';
import { admin, call, startProject, startUpstream, writeProject } from './identity-harness.ts';

const AUDIENCE = 'urn:conflux:api:orders';

/**
 * Plans stored through the admin API drive the gateway: their rate limits, quotas, APIs and
 * scopes, with the precedence of docs/identity.md (stored values win over the API file's tier
 * of the same name; a plan without stored values uses that tier).
 */
describe('stored plans drive the gateway (over HTTP)', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;

  before(async () => {
    upstream = await startUpstream((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    project = writeProject({
      // The API file's tiers: `bronze` (no stored limit) is limited here, `alpha` is overridden.
      'apis/catalog.yaml': [
        'name: catalog',
        'basePath: /catalog',
        'visibility: public',
        'auth: { type: apiKey, header: x-api-key }',
        'policies:',
        '  rateLimit:',
        '    plans:',
        '      alpha: { perMinute: 1000 }',
        '      bronze: { perMinute: 2 }',
        'routes:',
        `  - { method: GET, path: /items, url: '${upstream.url}/' }`,
        '',
      ].join('\n'),
      // No limit policies at all: a stored plan limits its consumers here too.
      'apis/search.yaml': [
        'name: search',
        'basePath: /search',
        'visibility: public',
        'auth: { type: apiKey, header: x-api-key }',
        'routes:',
        `  - { method: GET, path: /q, url: '${upstream.url}/' }`,
        '',
      ].join('\n'),
      'apis/orders.yaml': [
        'name: orders',
        'basePath: /orders',
        'visibility: public',
        'auth:',
        '  type: oauth2',
        '  scopes: [orders:read]',
        "  routeScopes: { 'POST /': [orders:write] }",
        'routes:',
        `  - { method: GET, path: /, url: '${upstream.url}/' }`,
        `  - { method: POST, path: /, url: '${upstream.url}/' }`,
        '',
      ].join('\n'),
    });
    platform = await startProject(project.dir);
    const plans = [
      { name: 'alpha', rateLimit: { requests: 3, perSeconds: 60 } },
      { name: 'beta', rateLimit: { requests: 6, perSeconds: 60 } },
      { name: 'bronze' },
      { name: 'metered', quota: { requests: 2, period: 'hour' } },
      { name: 'full', scopes: ['orders:read', 'orders:write'] },
      { name: 'read-only', scopes: ['orders:read'], rateLimit: { requests: 2, perSeconds: 60 } },
    ];
    for (const plan of plans) {
      const created = await admin(platform, 'POST', '/api/v1/plans', plan);
      assert.equal(created.status, 201, created.text);
    }
  });

  after(async () => {
    await platform?.stop();
    await upstream?.close();
    project?.remove();
  });

  async function consumerWithKey(name: string, plan: string, scopes: string[] = []): Promise<string> {
    const created = await admin(platform, 'POST', '/api/v1/consumers', {
      name,
      type: 'public',
      plan,
      scopes,
    });
    assert.equal(created.status, 201, created.text);
    const issued = await admin(platform, 'POST', '/api/v1/keys', { consumer: name });
    assert.equal(issued.status, 201, issued.text);
    return issued.json.key as string;
  }

  /** Statuses of `count` sequential requests. */
  async function statuses(path: string, headers: Record<string, string>, count: number): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < count; i++)
      seen.push((await call(platform.gatewayUrl, 'GET', path, { headers })).status);
    return seen;
  }

  test("a consumer on plan A gets 429 at A's limit; moved to plan B, its next requests follow B", async () => {
    const key = await consumerWithKey('switcher', 'alpha');
    const headers = { 'x-api-key': key };
    const first = await call(platform.gatewayUrl, 'GET', '/catalog/items', { headers });
    assert.equal(first.status, 200);
    // The stored 3/minute wins over the API file's alpha tier of 1000/minute.
    assert.equal(first.headers['ratelimit-policy'], '"minute";q=3;w=60');
    assert.deepEqual(await statuses('/catalog/items', headers, 3), [200, 200, 429]);
    const refused = await call(platform.gatewayUrl, 'GET', '/catalog/items', { headers });
    assert.equal(refused.status, 429);
    assert.equal(refused.json<{ code: string }>().code, 'GATEWAY_RATE_LIMITED');
    assert.match(refused.text, /plan alpha/);
    assert.ok(Number(refused.headers['retry-after']) >= 1);

    const moved = await admin(platform, 'PATCH', '/api/v1/consumers/switcher', { plan: 'beta' });
    assert.equal(moved.status, 200, moved.text);
    const next = await call(platform.gatewayUrl, 'GET', '/catalog/items', { headers });
    assert.equal(next.status, 200, 'the very next request follows plan B');
    assert.equal(next.headers['ratelimit-policy'], '"minute";q=6;w=60');
    assert.deepEqual(await statuses('/catalog/items', headers, 6), [200, 200, 200, 200, 200, 429]);
    assert.match((await call(platform.gatewayUrl, 'GET', '/catalog/items', { headers })).text, /plan beta/);
  });

  test("changing a plan's limit applies to its consumers' next request", async () => {
    const key = await consumerWithKey('tuned', 'beta');
    const headers = { 'x-api-key': key };
    assert.equal((await call(platform.gatewayUrl, 'GET', '/catalog/items', { headers })).status, 200);
    const changed = await admin(platform, 'PATCH', '/api/v1/plans/beta', {
      rateLimit: { requests: 1, perSeconds: 3600 },
    });
    assert.equal(changed.status, 200, changed.text);
    const next = await call(platform.gatewayUrl, 'GET', '/catalog/items', { headers });
    assert.equal(next.headers['ratelimit-policy'], '"hour";q=1;w=3600');
    assert.equal((await call(platform.gatewayUrl, 'GET', '/catalog/items', { headers })).status, 429);
    // Restored for the other tests of this plan.
    await admin(platform, 'PATCH', '/api/v1/plans/beta', { rateLimit: { requests: 6, perSeconds: 60 } });
  });

  test("a stored plan limits APIs without limit policies; a plan without stored values uses the file's tier", async () => {
    const alphaKey = await consumerWithKey('searcher', 'alpha');
    assert.deepEqual(await statuses('/search/q', { 'x-api-key': alphaKey }, 4), [200, 200, 200, 429]);
    const bronzeKey = await consumerWithKey('filed', 'bronze');
    const headers = { 'x-api-key': bronzeKey };
    const answer = await call(platform.gatewayUrl, 'GET', '/catalog/items', { headers });
    assert.equal(answer.headers['ratelimit-policy'], '"minute";q=2;w=60', "the file's bronze tier");
    assert.deepEqual(await statuses('/catalog/items', headers, 2), [200, 429]);
    assert.deepEqual(
      await statuses('/search/q', headers, 3),
      [200, 200, 200],
      'search has no tiers, and bronze stores none',
    );
  });

  test("a stored plan's quota refuses with 429 once used up", async () => {
    const key = await consumerWithKey('metered-app', 'metered');
    const seen = await statuses('/search/q', { 'x-api-key': key }, 3);
    assert.deepEqual(seen, [200, 200, 429]);
    const refused = await call(platform.gatewayUrl, 'GET', '/search/q', { headers: { 'x-api-key': key } });
    assert.equal(refused.json<{ code: string }>().code, 'GATEWAY_QUOTA_EXCEEDED');
    assert.match(refused.text, /hourly quota of plan metered \(2 requests\)/);
  });

  test("a plan's APIs narrow what its consumers may call, at the next request", async () => {
    const key = await consumerWithKey('narrowed', 'bronze');
    const headers = { 'x-api-key': key };
    assert.equal((await call(platform.gatewayUrl, 'GET', '/search/q', { headers })).status, 200);
    assert.equal((await admin(platform, 'PATCH', '/api/v1/plans/bronze', { apis: ['catalog'] })).status, 200);
    assert.equal((await call(platform.gatewayUrl, 'GET', '/search/q', { headers })).status, 404);
    assert.equal((await admin(platform, 'PATCH', '/api/v1/plans/bronze', { apis: null })).status, 200);
    assert.equal((await call(platform.gatewayUrl, 'GET', '/search/q', { headers })).status, 200);
  });

  test("a plan's scopes and limits apply to OAuth access tokens, at the next request", async () => {
    const created = await admin(platform, 'POST', '/api/v1/consumers', {
      name: 'token-app',
      type: 'public',
      plan: 'full',
      scopes: ['orders:read', 'orders:write'],
    });
    assert.equal(created.status, 201, created.text);
    const registered = await admin(platform, 'POST', '/api/v1/oauth/clients', {
      consumer: 'token-app',
      name: 'token-app',
      grantTypes: ['client_credentials'],
      scopes: ['orders:read', 'orders:write'],
      audiences: [AUDIENCE],
    });
    assert.equal(registered.status, 201, registered.text);
    const config = await client.discovery(
      new URL(`${platform.adminUrl}/oauth`),
      registered.json.clientId,
      undefined,
      client.ClientSecretBasic(registered.json.clientSecret),
      { execute: [client.allowInsecureRequests] },
    );
    const tokens = await client.clientCredentialsGrant(config, {
      scope: 'orders:read orders:write',
      resource: AUDIENCE,
    });
    const headers = { authorization: `Bearer ${tokens.access_token}` };
    assert.equal((await call(platform.gatewayUrl, 'POST', '/orders', { headers })).status, 200);
    assert.equal((await call(platform.gatewayUrl, 'GET', '/orders', { headers })).status, 200);

    // The token still says orders:write; the consumer's new plan no longer grants it.
    assert.equal(
      (await admin(platform, 'PATCH', '/api/v1/consumers/token-app', { plan: 'read-only' })).status,
      200,
    );
    const write = await call(platform.gatewayUrl, 'POST', '/orders', { headers });
    assert.equal(write.status, 403);
    assert.equal(write.json<{ code: string }>().code, 'AUTH_SCOPE_INSUFFICIENT');
    // read-only stores 2/minute: the token's consumer is limited like a key's.
    assert.deepEqual(await statuses('/orders', headers, 3), [200, 200, 429]);
  });
});
