import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CircuitBreaker } from '../../src/gateway/index.ts';

const settings = { errorRate: 0.5, minCalls: 4, windowMs: 1_000, openMs: 500 };

function clock(start = 10_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test('stays closed below minCalls, opens when the failure ratio reaches errorRate', () => {
  const time = clock();
  const breaker = new CircuitBreaker(settings, time.now);
  breaker.onFailure();
  breaker.onFailure();
  breaker.onFailure();
  assert.equal(breaker.state, 'closed');
  breaker.onSuccess();
  breaker.onFailure();
  assert.equal(breaker.state, 'open');
  assert.equal(breaker.tryAcquire(), false);
  assert.ok(breaker.retryAfterMs() > 0);
});

test('failures older than the window do not count', () => {
  const time = clock();
  const breaker = new CircuitBreaker(settings, time.now);
  for (let i = 0; i < 3; i++) breaker.onFailure();
  time.advance(1_500);
  breaker.onFailure();
  breaker.onSuccess();
  breaker.onSuccess();
  assert.equal(breaker.state, 'closed');
});

test('half-open lets exactly one probe through; success closes, failure reopens', () => {
  const time = clock();
  const breaker = new CircuitBreaker(settings, time.now);
  for (let i = 0; i < 4; i++) breaker.onFailure();
  assert.equal(breaker.state, 'open');
  time.advance(500);
  assert.equal(breaker.state, 'half-open');
  assert.equal(breaker.tryAcquire(), true);
  assert.equal(breaker.tryAcquire(), false, 'a second probe must wait');
  breaker.onFailure();
  assert.equal(breaker.state, 'open');
  time.advance(500);
  assert.equal(breaker.tryAcquire(), true);
  breaker.onSuccess();
  assert.equal(breaker.state, 'closed');
  assert.equal(breaker.tryAcquire(), true);
});
