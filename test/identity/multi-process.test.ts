import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { type ConfluxProcess, startConflux, stopConflux } from '../e2e/harness.ts';
import { catalogApi } from './cli-harness.ts';
import { call, startUpstream, writeProject } from './identity-harness.ts';

const POSTGRES_URL = process.env.CONFLUX_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** A database of its own, so these processes share nothing with any other test. */
const database = `conflux_mp_${randomBytes(4).toString('hex')}`;
const databaseUrl = (() => {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.href;
})();

async function admin(proc: ConfluxProcess, method: string, path: string, body?: unknown) {
  const response = await fetch(`${proc.adminUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${proc.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: text === '' ? undefined : JSON.parse(text) };
}

/** Polls until `check` holds; returns how long it took, or undefined after the bound. */
async function within(boundMs: number, check: () => Promise<boolean>): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < boundMs) {
    if (await check()) return Date.now() - started;
    await sleep(100);
  }
  return undefined;
}

/**
 * Two real `conflux start` processes on one PostgreSQL database: a change made through the
 * admin API of one reaches the gateway of the other within the cache bound (2 s), without a
 * restart. The bound polled here is 6 s, so a slow machine does not fail it spuriously.
 */
describe('revocation across gateway processes sharing PostgreSQL', () => {
  const secretKey = randomBytes(32).toString('hex');
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  const projects: ReturnType<typeof writeProject>[] = [];
  let a: ConfluxProcess;
  let b: ConfluxProcess;

  before(async () => {
    const setup = new pg.Client({ connectionString: POSTGRES_URL });
    await setup.connect();
    await setup.query(`create database ${database}`);
    await setup.end();
    upstream = await startUpstream((_req, res) => res.end('{"ok":true}'));
    const files = {
      'apis/catalog.yaml': catalogApi(upstream.url),
    };
    // Two folders, as two hosts would have: only the database and the secret key are shared.
    projects.push(writeProject(files), writeProject(files));
    const env = {
      CONFLUX_DATABASE_URL: databaseUrl,
      CONFLUX_SECRET_KEY: secretKey,
      CONFLUX_LOG_LEVEL: 'warn',
    };
    // One after the other: the first start migrates the database and creates the signing keys.
    a = await startConflux((projects[0] as { dir: string }).dir, { env });
    b = await startConflux((projects[1] as { dir: string }).dir, { env });
  });

  after(async () => {
    if (a !== undefined) await stopConflux(a);
    if (b !== undefined) await stopConflux(b);
    await upstream?.close();
    for (const project of projects) project.remove();
    const cleanup = new pg.Client({ connectionString: POSTGRES_URL });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${database} with (force)`);
    await cleanup.end();
  });

  const get = (proc: ConfluxProcess, key: string) =>
    call(proc.gatewayUrl, 'GET', '/catalog/items', { headers: { 'x-api-key': key } });

  test('a key revoked through process A is refused by process B within seconds', async (t) => {
    assert.equal(
      (await admin(a, 'POST', '/api/v1/consumers', { name: 'shop', type: 'public', scopes: [] })).status,
      201,
    );
    const issued = await admin(a, 'POST', '/api/v1/keys', { consumer: 'shop', name: 'shared' });
    assert.equal(issued.status, 201, issued.text);
    const key = issued.json.key as string;
    assert.equal((await get(a, key)).status, 200, 'process A accepts the key');
    assert.equal((await get(b, key)).status, 200, 'process B accepts the key (and caches it)');

    assert.equal((await admin(a, 'DELETE', `/api/v1/keys/${issued.json.record.id}`)).status, 204);
    assert.equal((await get(a, key)).status, 401, 'A forgets its cache at once');
    const tookMs = await within(6_000, async () => (await get(b, key)).status === 401);
    assert.ok(tookMs !== undefined, 'B refuses the revoked key within the bound');
    t.diagnostic(`process B refused the revoked key ${tookMs} ms after the revocation answered`);
    assert.equal((await get(b, key)).json<{ code: string }>().code, 'AUTH_KEY_INVALID');
  });

  test('a consumer disabled through process A is refused by process B within seconds, and back', async (t) => {
    const issued = await admin(a, 'POST', '/api/v1/keys', { consumer: 'shop', name: 'disable-me' });
    const key = issued.json.key as string;
    assert.equal((await get(b, key)).status, 200);
    assert.equal((await admin(a, 'PATCH', '/api/v1/consumers/shop', { disabled: true })).status, 200);
    const tookMs = await within(6_000, async () => (await get(b, key)).status === 401);
    assert.ok(tookMs !== undefined, 'B refuses the disabled consumer within the bound');
    t.diagnostic(`process B refused the disabled consumer ${tookMs} ms after the change answered`);
    assert.equal((await get(a, key)).status, 401);
    assert.equal((await admin(a, 'PATCH', '/api/v1/consumers/shop', { disabled: false })).status, 200);
    assert.ok((await within(6_000, async () => (await get(b, key)).status === 200)) !== undefined);
  });

  test("a plan change made through process A applies to process B's next requests within seconds", async () => {
    for (const plan of [
      { name: 'one', rateLimit: { requests: 1, perSeconds: 3600 } },
      { name: 'many', rateLimit: { requests: 1000, perSeconds: 60 } },
    ])
      assert.equal((await admin(a, 'POST', '/api/v1/plans', plan)).status, 201);
    assert.equal(
      (await admin(a, 'POST', '/api/v1/consumers', { name: 'metered', type: 'public', plan: 'many' })).status,
      201,
    );
    const key = (await admin(a, 'POST', '/api/v1/keys', { consumer: 'metered' })).json.key as string;
    assert.equal((await get(b, key)).headers['ratelimit-policy'], '"minute";q=1000;w=60');
    assert.equal((await admin(a, 'PATCH', '/api/v1/consumers/metered', { plan: 'one' })).status, 200);
    assert.ok(
      (await within(
        6_000,
        async () => (await get(b, key)).headers['ratelimit-policy'] === '"hour";q=1;w=3600',
      )) !== undefined,
    );
    assert.equal((await get(b, key)).status, 429);
  });
});
