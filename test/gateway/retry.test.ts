import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayRetry, parseRetryAfter, retryDelay } from '../../src/gateway/index.ts';

const settings = { attempts: 4, backoffMs: 100, maxBackoffMs: 1_000 };

test('only idempotent methods, or requests with an Idempotency-Key, may be retried', () => {
  assert.equal(mayRetry('GET', {}), true);
  assert.equal(mayRetry('PUT', {}), true);
  assert.equal(mayRetry('POST', {}), false);
  assert.equal(mayRetry('PATCH', {}), false);
  assert.equal(mayRetry('POST', { 'idempotency-key': 'abc' }), true);
});

test('exponential backoff with full jitter, capped, and no delay after the last attempt', () => {
  assert.equal(
    retryDelay(1, settings, undefined, () => 0.999),
    99,
  );
  assert.equal(
    retryDelay(2, settings, undefined, () => 0.999),
    199,
  );
  assert.equal(
    retryDelay(3, settings, undefined, () => 0.999),
    399,
  );
  assert.equal(
    retryDelay(3, settings, undefined, () => 0),
    0,
  );
  assert.equal(
    retryDelay(3, { ...settings, maxBackoffMs: 250 }, undefined, () => 0.999),
    249,
  );
  assert.equal(
    retryDelay(4, settings, undefined, () => 0.5),
    undefined,
  );
});

test('Retry-After wins when short enough, and stops retries when too long', () => {
  assert.equal(
    retryDelay(1, settings, '1', () => 0),
    1_000,
  );
  assert.equal(
    retryDelay(1, settings, '5', () => 0),
    undefined,
  );
  const now = Date.parse('2030-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Tue, 01 Jan 2030 00:00:00 GMT', now - 500), 500);
  assert.equal(parseRetryAfter('soon', now), undefined);
});
