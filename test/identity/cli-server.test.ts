import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { type ConfluxProcess, startConflux, stopConflux } from '../e2e/harness.ts';
import { catalogApi, eventually, type Json, ok, stockApi } from './cli-harness.ts';
import { call, startUpstream, writeProject } from './identity-harness.ts';

/**
 * The CLI works offline on the project's store, beside a running `conflux start`: the server
 * sees its changes within its cache bound, and the credentials it prints work there.
 */
describe('CLI changes reach a running server', () => {
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let server: ConfluxProcess;
  const at = (args: string[]) => [...args, '--project', project.dir];

  before(async () => {
    upstream = await startUpstream((_req, res) => res.end('{"ok":true}'));
    project = writeProject({
      'apis/stock.yaml': stockApi(upstream.url),
      'apis/catalog.yaml': catalogApi(upstream.url),
    });
    // Debug logging: every request is logged, so the log check below has something to search.
    server = await startConflux(project.dir, { env: { CONFLUX_LOG_LEVEL: 'debug' } });
  });

  after(async () => {
    if (server !== undefined) await stopConflux(server);
    await upstream?.close();
    project?.remove();
  });

  test('a running server sees CLI changes within seconds; credentials work; nothing secret in its logs', async () => {
    // The CLI writes to the store the server reads: the server sees changes within its 2 s cache.
    const onboarded = await ok(
      at([
        'partner',
        'onboard',
        'globex',
        '--apis',
        'stock,catalog',
        '--scopes',
        'stock:read',
        '--credentials',
        'api-key,client-credentials',
      ]),
    );
    const key = onboarded.apiKey.key as string;
    const items = () => call(server.gatewayUrl, 'GET', '/catalog/items', { headers: { 'x-api-key': key } });
    assert.equal((await items()).status, 200);

    const config = await client.discovery(
      new URL(`${server.adminUrl}/oauth`),
      onboarded.oauthClient.clientId,
      undefined,
      client.ClientSecretBasic(onboarded.oauthClient.clientSecret),
      { execute: [client.allowInsecureRequests] },
    );
    const tokens = await client.clientCredentialsGrant(config, {
      scope: 'stock:read',
      resource: 'urn:conflux:api:stock',
    });
    const levels = await call(server.gatewayUrl, 'GET', '/stock/levels', {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(levels.status, 200, levels.text);

    await ok(at(['consumer', 'disable', 'globex']));
    assert.ok(await eventually(async () => (await items()).status === 401), 'disabled from the CLI');
    await ok(at(['consumer', 'enable', 'globex']));
    assert.ok(await eventually(async () => (await items()).status === 200), 'enabled again');
    await ok(at(['plan', 'create', 'tiny', '--rate-limit', '1/hour']));
    await ok(at(['consumer', 'update', 'globex', '--plan', 'tiny']));
    assert.ok(await eventually(async () => (await items()).status === 429), "the plan's limit applies");

    // The viewer identity created offline works on the admin API, with its role.
    const viewer = await ok(at(['admin', 'user', 'create', 'auditor-bot', '--role', 'auditor']));
    const audit = await fetch(`${server.adminUrl}/api/v1/audit?actorType=cli&limit=200`, {
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    assert.equal(audit.status, 200);
    const events = ((await audit.json()) as { items: Json[] }).items;
    const actions = new Set(events.map((event) => event.action));
    for (const action of ['plan.create', 'consumer.update', 'partner.onboard', 'admin-user.create'])
      assert.ok(actions.has(action), `audited: ${action}`);
    assert.match(events[0].actor, /^cli:/);
    const trail = JSON.stringify(events);
    assert.ok(
      !trail.includes(key) && !trail.includes(onboarded.oauthClient.clientSecret),
      'no secrets in the trail',
    );
    const denied = await fetch(`${server.adminUrl}/api/v1/plans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'nope' }),
    });
    assert.equal(denied.status, 403);

    // The server logged every request at debug level, and never a credential.
    const logs = server.output();
    assert.match(logs, /\/catalog\/items/);
    assert.ok(!logs.includes(key), 'the API key is not in the logs');
    assert.ok(!logs.includes(onboarded.oauthClient.clientSecret), 'the client secret is not in the logs');
    assert.ok(!logs.includes(tokens.access_token), 'the access token is not in the logs');
  });
});
