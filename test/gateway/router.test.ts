import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Router } from '../../src/gateway/index.ts';

function router(): Router<string> {
  const r = new Router<string>();
  r.add('GET', '/v1/orders', 'list');
  r.add('POST', '/v1/orders', 'create');
  r.add('GET', '/v1/orders/{id}', 'get');
  r.add('GET', '/v1/orders/new', 'new-form');
  r.add('DELETE', '/v1/orders/{id}', 'delete');
  r.add('GET', '/v1/orders/{id}/lines/{line}', 'line');
  return r;
}

test('matches literal paths and templates with decoded parameters', () => {
  const r = router();
  assert.deepEqual(r.match('GET', '/v1/orders'), { kind: 'found', match: { value: 'list', params: {} } });
  assert.deepEqual(r.match('GET', '/v1/orders/A%2F1'), {
    kind: 'found',
    match: { value: 'get', params: { id: 'A/1' } },
  });
  assert.deepEqual(r.match('GET', '/v1/orders/7/lines/2/'), {
    kind: 'found',
    match: { value: 'line', params: { id: '7', line: '2' } },
  });
});

test('a literal segment wins over a parameter at the same depth', () => {
  assert.deepEqual(router().match('GET', '/v1/orders/new'), {
    kind: 'found',
    match: { value: 'new-form', params: {} },
  });
});

test('a known path with another method is 405 with the allowed methods', () => {
  assert.deepEqual(router().match('PUT', '/v1/orders/9'), {
    kind: 'method-not-allowed',
    allow: ['DELETE', 'GET'],
  });
});

test('HEAD falls back to GET; unknown paths and empty parameters are not found', () => {
  const r = router();
  assert.equal(r.match('HEAD', '/v1/orders').kind, 'found');
  assert.equal(r.match('GET', '/v2/orders').kind, 'not-found');
  assert.equal(r.match('GET', '/v1/orders//lines/2').kind, 'not-found');
});

test('conflicting definitions are refused at build time', () => {
  const r = router();
  assert.throws(() => r.add('GET', '/v1/orders/{id}', 'again'), /defined twice/);
  assert.throws(() => r.add('GET', '/v1/orders/{orderId}/x', 'other'), /conflicts/);
});
