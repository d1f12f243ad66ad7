import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { loadSystemDescription, type MockServer, startMockServer } from '../../src/systems/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const answer = await request(base + path, {
    method: method as 'GET',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await answer.body.text();
  return {
    status: answer.statusCode,
    headers: answer.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

describe('mock server', () => {
  let mock: MockServer;
  let pets: MockServer;

  before(async () => {
    mock = await startMockServer(await loadSystemDescription(fixture('customers.openapi.yaml')), {
      port: 0,
      seed: 3,
    });
    pets = await startMockServer(await loadSystemDescription(fixture('petstore-v2.json')), { port: 0 });
  });
  after(async () => {
    await mock.close();
    await pets.close();
  });

  test('serves the example of the description, with the mock headers', async () => {
    const answer = await call(mock.url, 'GET', '/stock/SKU-1001', undefined, { 'x-warehouse': 'AMS-1' });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { sku: 'SKU-1001', available: 42 });
    assert.match(String(answer.headers['content-type']), /application\/json/);
    assert.equal(answer.headers['x-mock'], 'conflux');
  });

  test('literal segments win over parameters', async () => {
    const answer = await call(mock.url, 'GET', '/customers/me');
    assert.equal(answer.body.id, 'cus_me');
  });

  test('generates data from the schema when there is no example, deterministically', async () => {
    const first = await call(mock.url, 'GET', '/categories');
    const second = await call(mock.url, 'GET', '/categories');
    assert.equal(first.status, 200);
    assert.equal(typeof first.body.name, 'string');
    assert.deepEqual(first.body, second.body);
  });

  test('answers 400 problem+json naming each failing field and its location', async () => {
    const bad = await call(mock.url, 'POST', '/customers', { email: 'not-an-email', tier: 'platinum' });
    assert.equal(bad.status, 400);
    assert.match(String(bad.headers['content-type']), /application\/problem\+json/);
    assert.equal(bad.body.code, 'MOCK_REQUEST_INVALID');
    const fields = bad.body.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ['body/email', 'body/name', 'body/tier']);
    const limit = await call(mock.url, 'GET', '/customers?limit=500');
    assert.equal(limit.status, 400);
    assert.equal(limit.body.errors[0].field, 'query/limit');
    assert.match(limit.body.errors[0].message, /<= 50/);
    const header = await call(mock.url, 'GET', '/stock/SKU-1001');
    assert.equal(header.body.errors[0].field, 'header/x-warehouse');
    const pattern = await call(mock.url, 'GET', '/stock/nope', undefined, { 'x-warehouse': 'A' });
    assert.equal(pattern.body.errors[0].field, 'path/sku');
  });

  test('coerces parameters and handles Swagger 2 arrays and exclusive bounds', async () => {
    assert.equal((await call(pets.url, 'GET', '/pets?tags=a,b&limit=9')).status, 200);
    const over = await call(pets.url, 'GET', '/pets?limit=10');
    assert.equal(over.status, 400);
    assert.equal(over.body.errors[0].field, 'query/limit');
    const form = await request(`${pets.url}/pets/7/photo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'other=1',
    });
    assert.equal(form.statusCode, 400);
    assert.match(await form.body.text(), /body\/caption/);
  });

  test('404 for an unknown path, 405 with Allow for a wrong method', async () => {
    const missing = await call(mock.url, 'GET', '/nothing/here');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'MOCK_NOT_FOUND');
    const wrong = await call(mock.url, 'DELETE', '/customers');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.allow, 'GET, POST');
  });

  test('keeps CRUD state for a collection', async () => {
    const created = await call(mock.url, 'POST', '/customers', { email: 'ada@example.com', name: 'Ada' });
    assert.equal(created.status, 201);
    assert.equal(created.body.email, 'ada@example.com');
    assert.match(created.body.id, /^cus_[A-Za-z0-9]{6}$/, 'a fresh id shaped like the example');
    const id = created.body.id as string;
    assert.deepEqual((await call(mock.url, 'GET', `/customers/${id}`)).body, created.body);
    const listed = await call(mock.url, 'GET', '/customers');
    assert.deepEqual(listed.body.data, [created.body], 'items go into the one array property');
    const patched = await call(mock.url, 'PATCH', `/customers/${id}`, { nickname: 'Countess' });
    assert.equal(patched.body.nickname, 'Countess');
    assert.equal(patched.body.email, 'ada@example.com');
    const replaced = await call(mock.url, 'PUT', `/customers/${id}`, {
      email: 'lovelace@example.com',
      name: 'Ada L',
    });
    assert.equal(replaced.body.nickname, undefined);
    assert.equal(replaced.body.id, id);
    assert.equal((await call(mock.url, 'DELETE', `/customers/${id}`)).status, 204);
    const gone = await call(mock.url, 'GET', `/customers/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.code, 'MOCK_NOT_FOUND');
  });

  test('read-only item paths answer generated data carrying the requested id', async () => {
    const answer = await call(pets.url, 'GET', '/pets');
    assert.deepEqual(answer.body, [{ id: 1, name: 'Rex', tag: null }]);
    const fresh = await startMockServer(await loadSystemDescription(fixture('customers.openapi.yaml')), {
      port: 0,
    });
    try {
      const item = await call(fresh.url, 'GET', '/customers/cus_42');
      assert.equal(item.status, 200);
      assert.equal(item.body.id, 'cus_42');
    } finally {
      await fresh.close();
    }
  });

  test('replays the first answer for a repeated Idempotency-Key and counts calls', async () => {
    const headers = { 'idempotency-key': 'order-1:capture' };
    const first = await call(mock.url, 'POST', '/payments', { amount: 1250, currency: 'EUR' }, headers);
    const second = await call(mock.url, 'POST', '/payments', { amount: 1250, currency: 'EUR' }, headers);
    const other = await call(
      mock.url,
      'POST',
      '/payments',
      { amount: 1250, currency: 'EUR' },
      { 'idempotency-key': 'order-2:capture' },
    );
    assert.equal(first.status, 201);
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(second.headers['idempotency-key'], 'order-1:capture');
    assert.notEqual(other.body.id, first.body.id);
    const calls = await call(mock.url, 'GET', '/__mock/calls');
    assert.equal(calls.body.createPayment, 3);
    const requests = await call(mock.url, 'GET', '/__mock/requests?operation=createPayment');
    assert.deepEqual(
      requests.body.map((r: { idempotencyKey: string; replayed: boolean }) => [r.idempotencyKey, r.replayed]),
      [
        ['order-1:capture', false],
        ['order-1:capture', true],
        ['order-2:capture', false],
      ],
    );
  });
});
