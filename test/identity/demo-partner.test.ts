import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type ConfluxProcess, copyProject, REPO, startConflux, stopConflux } from '../e2e/harness.ts';

let project: ReturnType<typeof copyProject>;
let conflux: ConfluxProcess;
let clientId: string;
let clientSecret: string;

before(async () => {
  project = copyProject(join(REPO, 'examples/retail'));
  conflux = await startConflux(project.dir, { args: ['--demo-key'] });
  const banner = conflux.output();
  clientId = /OAuth client id\s+(cfxc_\S+)/.exec(banner)?.[1] ?? '';
  clientSecret = /OAuth client secret\s+(cfxcs_\S+)/.exec(banner)?.[1] ?? '';
  assert.ok(clientId !== '' && clientSecret !== '', `no demo partner in the banner:\n${banner}`);
});

after(async () => {
  if (conflux !== undefined) await stopConflux(conflux);
  project?.remove();
});

/** The README's curl commands, as fetch calls: HTTP Basic client authentication, form bodies. */
function oauth(path: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${conflux.adminUrl}/oauth${path}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form),
  });
}

test('the demo partner from the banner: token, partner API, introspection, revocation (README)', async () => {
  const issued = await oauth('/token', {
    grant_type: 'client_credentials',
    scope: 'stock:read',
    resource: 'urn:conflux:api:partner',
  });
  assert.equal(issued.status, 200);
  const token = ((await issued.json()) as { access_token: string }).access_token;
  const stock = (bearer: string) =>
    fetch(`${conflux.gatewayUrl}/partner/stock/SKU-1001`, { headers: { authorization: `Bearer ${bearer}` } });
  const answer = await stock(token);
  assert.equal(answer.status, 200);
  assert.equal(((await answer.json()) as { sku: string }).sku, 'SKU-1001');

  const live = (await (await oauth('/token/introspection', { token })).json()) as Record<string, unknown>;
  assert.equal(live.active, true);
  assert.equal(live.scope, 'stock:read');
  assert.equal(live.client_id, clientId);
  assert.equal(live.consumer, 'demo-partner');
  assert.equal((await oauth('/token/revocation', { token })).status, 200);
  assert.deepEqual(await (await oauth('/token/introspection', { token })).json(), { active: false });
  const refused = await stock(token);
  assert.equal(refused.status, 401);
  await refused.body?.cancel();
});

test('the demo partner sees only the partner APIs open to it; the demo key sees no partner API', async () => {
  const demoKey = /demo API key[^\n]*\n\s+(cfx_\S+)/.exec(conflux.output())?.[1] ?? '';
  const withKey = await fetch(`${conflux.gatewayUrl}/partner/stock/SKU-1001`, {
    headers: { 'x-api-key': demoKey },
  });
  assert.equal(withKey.status, 401, 'the partner API takes OAuth tokens, not keys');
  await withKey.body?.cancel();
  const consumer = (await (
    await fetch(`${conflux.adminUrl}/api/v1/consumers/demo-partner`, {
      headers: { authorization: `Bearer ${conflux.adminToken}` },
    })
  ).json()) as { type: string; apis: string[]; scopes: string[] };
  assert.equal(consumer.type, 'partner');
  assert.ok(consumer.apis.includes('partner'));
  assert.ok(!consumer.apis.includes('wholesale'), 'an API reserved for named partners stays theirs');
  assert.deepEqual(consumer.scopes, ['stock:read']);
});
