import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, isRetryable } from '../../src/engine/index.ts';
import { ConfluxError } from '../../src/errors/index.ts';

test('retryable: explicit flag first, then transient codes, timeouts and network errors in the cause chain', () => {
  assert.equal(
    isRetryable(new ConfluxError('SYSTEM_CALL_FAILED', 'x', { details: { retryable: true } })),
    true,
  );
  assert.equal(
    isRetryable(new ConfluxError('GATEWAY_UPSTREAM_TIMEOUT', 'x', { details: { retryable: false } })),
    false,
  );
  assert.equal(isRetryable(new ConfluxError('GATEWAY_UPSTREAM_UNREACHABLE', 'x')), true);
  assert.equal(isRetryable(new ConfluxError('SYSTEM_TIMEOUT', 'x')), true);
  assert.equal(isRetryable(new ConfluxError('SYSTEM_UNREACHABLE', 'x')), true);
  assert.equal(isRetryable(new ConfluxError('MAPPING_EVALUATE_FAILED', 'x')), false);
  assert.equal(isRetryable(new DOMException('timed out', 'TimeoutError')), true, 'AbortSignal.timeout()');
  const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
  assert.equal(isRetryable(timeout), true);
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  assert.equal(isRetryable(new TypeError('fetch failed', { cause: refused })), true);
  assert.equal(isRetryable(new Error('boom')), false);
});

test('backoff doubles per attempt with jitter between half and all of it', () => {
  assert.equal(
    backoffDelay(1, 1000, () => 0),
    500,
  );
  assert.equal(
    backoffDelay(1, 1000, () => 1),
    1000,
  );
  assert.equal(
    backoffDelay(3, 1000, () => 1),
    4000,
  );
  assert.equal(
    backoffDelay(3, 1000, () => 0.5),
    3000,
  );
  assert.equal(
    backoffDelay(40, 1000, () => 1),
    3_600_000,
    'capped at an hour',
  );
});
