import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { catalogApi, conflux, fails, type Json, ok, stockApi } from './cli-harness.ts';
import { startUpstream, writeProject } from './identity-harness.ts';

test('identity commands answer --help with their usage', async () => {
  const commands = [
    ['consumer'],
    ['consumer', 'create'],
    ['consumer', 'update'],
    ['plan'],
    ['plan', 'create'],
    ['partner', 'onboard'],
    ['oauth', 'client', 'create'],
    ['oauth', 'user', 'create'],
    ['admin', 'user', 'create'],
  ];
  const helps = await Promise.all(commands.map((command) => conflux([...command, '--help'])));
  for (const [index, help] of helps.entries()) {
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`Usage: conflux ${(commands[index] as string[]).join(' ')}`));
  }
  assert.match(helps[1]?.stdout ?? '', /--type <type>/);
  assert.match(helps[4]?.stdout ?? '', /--rate-limit <limit>/);
  assert.match(helps[5]?.stdout ?? '', /--credentials <list>/);
});

describe('conflux consumer | plan | partner | oauth | admin, offline on the project store', () => {
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  const at = (args: string[]) => [...args, '--project', project.dir];

  before(async () => {
    upstream = await startUpstream((_req, res) => res.end('{"ok":true}'));
    project = writeProject({
      'apis/stock.yaml': stockApi(upstream.url),
      'apis/catalog.yaml': catalogApi(upstream.url),
    });
  });

  after(async () => {
    await upstream?.close();
    project?.remove();
  });

  test('plans: create, list, show, update, delete; clear errors', async () => {
    // Independent commands run side by side: each is a process of its own (SQLite serialises writes).
    const [gold] = await Promise.all([
      ok(at(['plan', 'create', 'gold', '--rate-limit', '100/minute', '--quota', '10000/day'])),
      ok(
        at([
          'plan',
          'create',
          'trial',
          '--rate-limit',
          '2/30s',
          '--apis',
          'catalog',
          '--scopes',
          'catalog:read',
        ]),
      ),
    ]);
    assert.deepEqual(gold.rateLimit, { requests: 100, perSeconds: 60 });
    assert.deepEqual(gold.quota, { requests: 10000, period: 'day' });
    const [listed, updated, , bad, , , human] = await Promise.all([
      ok(at(['plan', 'list'])),
      ok(at(['plan', 'update', 'trial', '--no-rate-limit', '--all-apis'])),
      fails(at(['plan', 'create', 'gold']), 'AUTH_PLAN_EXISTS'),
      fails(at(['plan', 'create', 'odd', '--rate-limit', '10/fortnight']), 'HTTP_BAD_REQUEST'),
      fails(at(['plan', 'update', 'gold']), 'HTTP_BAD_REQUEST'),
      fails(at(['plan', 'show', 'none']), 'AUTH_PLAN_NOT_FOUND'),
      conflux(at(['plan', 'show', 'gold'])),
    ]);
    assert.deepEqual(
      listed.map((plan: Json) => plan.name),
      ['gold', 'trial'],
    );
    assert.equal(updated.rateLimit, null);
    assert.equal(updated.apis, null);
    assert.deepEqual(updated.scopes, ['catalog:read']);
    assert.match(bad.message, /--rate-limit: found "10\/fortnight", expected requests per window/);
    assert.match(human.stdout, /rate limit {2}100 per 60 s/);
  });

  test('consumers: create, list, show, update, disable, enable; a plan in use cannot be deleted', async () => {
    const shop = await ok(
      at([
        'consumer',
        'create',
        'shop',
        '--type',
        'public',
        '--plan',
        'trial',
        '--scopes',
        'catalog:read,catalog:write',
        '--contact-email',
        'ops@shop.example',
      ]),
    );
    assert.equal(shop.plan, 'trial');
    assert.deepEqual(shop.contact, { email: 'ops@shop.example' });
    await Promise.all([
      fails(at(['consumer', 'create', 'shop', '--type', 'public']), 'AUTH_CONSUMER_EXISTS'),
      fails(at(['consumer', 'create', 'x', '--type', 'weird']), 'HTTP_BAD_REQUEST'),
      fails(at(['consumer', 'create', 'y', '--type', 'public', '--plan', 'none']), 'AUTH_PLAN_NOT_FOUND'),
      fails(
        at(['consumer', 'create', 'z', '--type', 'public', '--contact-email', 'nope']),
        'HTTP_BAD_REQUEST',
      ),
      fails(at(['plan', 'delete', 'trial']), 'AUTH_PLAN_EXISTS'),
      fails(at(['consumer', 'show', 'nobody']), 'AUTH_CONSUMER_NOT_FOUND'),
    ]);
    const moved = await ok(at(['consumer', 'update', 'shop', '--plan', 'gold', '--apis', 'catalog']));
    assert.equal(moved.plan, 'gold');
    assert.deepEqual(moved.apis, ['catalog']);
    assert.equal((await ok(at(['consumer', 'update', 'shop', '--no-plan']))).plan, null);
    assert.equal((await ok(at(['plan', 'delete', 'trial']))).deleted, true);
    assert.equal((await ok(at(['consumer', 'disable', 'shop']))).disabled, true);
    const [listed, shown] = await Promise.all([
      ok(at(['consumer', 'list'])),
      ok(at(['consumer', 'show', 'shop'])),
    ]);
    assert.deepEqual(
      listed.map((consumer: Json) => [consumer.name, consumer.disabled]),
      [['shop', true]],
    );
    assert.deepEqual(shown.keys, []);
    assert.equal((await ok(at(['consumer', 'enable', 'shop']))).disabled, false);
  });

  test('partner onboarding prints credentials once; OAuth clients, users and admin identities', async () => {
    const onboarded = await ok(
      at([
        'partner',
        'onboard',
        'acme',
        '--apis',
        'stock',
        '--scopes',
        'stock:read',
        '--credentials',
        'api-key,client-credentials',
      ]),
    );
    assert.equal(onboarded.consumer.type, 'partner');
    assert.deepEqual(onboarded.consumer.apis, ['stock']);
    assert.match(onboarded.apiKey.key, /^cfx_dev_/);
    assert.match(onboarded.oauthClient.clientSecret, /^cfxcs_/);
    assert.deepEqual(onboarded.oauthClient.audiences, ['urn:conflux:api:stock']);
    // Once: nothing that lists the partner afterwards shows a secret. All or nothing: a
    // failing credential leaves no consumer behind.
    const [shown, , , extra] = await Promise.all([
      conflux(at(['consumer', 'show', 'acme', '--json'])),
      fails(
        at([
          'partner',
          'onboard',
          'broken',
          '--apis',
          'stock',
          '--credentials',
          'client-credentials',
          '--audiences',
          'x',
        ]),
        'HTTP_BAD_REQUEST',
      ),
      fails(
        at(['partner', 'onboard', 'greedy', '--apis', 'stock', '--scopes', 'stock:read', '--plan', 'none']),
        'AUTH_PLAN_NOT_FOUND',
      ),
      ok(
        at([
          'oauth',
          'client',
          'create',
          '--consumer',
          'acme',
          '--audiences',
          'urn:conflux:api:stock',
          '--scopes',
          'stock:read',
        ]),
      ),
      fails(
        at([
          'oauth',
          'client',
          'create',
          '--consumer',
          'acme',
          '--audiences',
          'urn:x:y',
          '--scopes',
          'stock:write',
        ]),
        'AUTH_SCOPE_TOO_WIDE',
      ),
      ok(at(['oauth', 'user', 'create', 'carol', '--display-name', 'Carol']), 'a long enough password\n'),
      fails(at(['oauth', 'user', 'create', 'dave']), 'HTTP_BAD_REQUEST'),
      fails(at(['admin', 'user', 'create', 'x', '--role', 'king']), 'HTTP_BAD_REQUEST'),
    ]);
    assert.ok(!shown.stdout.includes(onboarded.apiKey.key));
    assert.ok(!shown.stdout.includes(onboarded.oauthClient.clientSecret));
    assert.equal(JSON.parse(shown.stdout).oauthClients[0].id, onboarded.oauthClient.clientId);
    assert.match(extra.clientId, /^cfxc_/);

    const [greedy, clients, users, viewer, temp] = await Promise.all([
      conflux(at(['consumer', 'show', 'greedy', '--json'])),
      conflux(at(['oauth', 'client', 'list', '--json'])),
      ok(at(['oauth', 'user', 'list'])),
      ok(at(['admin', 'user', 'create', 'ops-viewer', '--role', 'viewer'])),
      ok(at(['admin', 'user', 'create', 'temp', '--role', 'developer'])),
      ok(at(['oauth', 'client', 'disable', extra.clientId])),
    ]);
    assert.equal(JSON.parse(greedy.stdout).error.code, 'AUTH_CONSUMER_NOT_FOUND', 'rolled back');
    assert.ok(!clients.stdout.includes(extra.clientSecret), 'secrets never listed');
    assert.deepEqual(
      users.map((user: Json) => user.username),
      ['carol'],
    );
    assert.match(viewer.token, /^cfxadm_/);
    const [admins, revoked] = await Promise.all([
      conflux(at(['admin', 'user', 'list', '--json'])),
      ok(at(['admin', 'user', 'revoke', temp.user.id])),
    ]);
    assert.ok(!admins.stdout.includes(viewer.token));
    assert.equal(revoked.revoked, true);
    await fails(at(['admin', 'user', 'revoke', temp.user.id]), 'STORE_NOT_FOUND');
    const disabled = await ok(at(['oauth', 'client', 'list']));
    assert.equal(disabled.find((record: Json) => record.id === extra.clientId).disabled, true);
  });
});
