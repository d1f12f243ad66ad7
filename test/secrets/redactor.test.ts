import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRedactor } from '../../src/secrets/index.ts';

describe('redactor', () => {
  test('returns values untouched until something is registered', () => {
    const redactor = createRedactor();
    const value = { a: 'token-123' };
    assert.equal(redactor.redact(value), value);
  });

  test('replaces registered values in strings, nested objects and arrays, without mutating the input', () => {
    const redactor = createRedactor();
    redactor.register('sk_live_abc');
    redactor.register('p4ss.w*rd');
    const input = {
      header: 'Bearer sk_live_abc',
      nested: {
        list: ['x', 'sk_live_abc', { deep: 'a p4ss.w*rd b sk_live_abc' }],
        n: 42,
        ok: true,
        none: null,
      },
      untouched: 'p4ssXw*rd',
    };
    const snapshot = structuredClone(input);
    assert.deepEqual(redactor.redact(input), {
      header: 'Bearer [redacted]',
      nested: {
        list: ['x', '[redacted]', { deep: 'a [redacted] b [redacted]' }],
        n: 42,
        ok: true,
        none: null,
      },
      untouched: 'p4ssXw*rd',
    });
    assert.deepEqual(input, snapshot);
    assert.equal(redactor.redact('sk_live_abc'), '[redacted]');
    assert.equal(redactor.redact(7), 7);
  });

  test('a secret containing another is replaced whole', () => {
    const redactor = createRedactor();
    redactor.register('abcd');
    redactor.register('xxabcdxx');
    assert.equal(redactor.redact('1 xxabcdxx 2 abcd'), '1 [redacted] 2 [redacted]');
  });

  test('cycles do not loop forever', () => {
    const redactor = createRedactor();
    redactor.register('secret-1');
    const input: Record<string, unknown> = { v: 'secret-1' };
    input.self = input;
    const out = redactor.redact(input) as Record<string, unknown>;
    assert.equal(out.v, '[redacted]');
    assert.equal(out.self, out);
  });

  test('values shorter than four characters are not registered', () => {
    const redactor = createRedactor();
    redactor.register('ab');
    assert.equal(redactor.redact('cabbage'), 'cabbage');
  });

  test('a value without any secret comes back as it is; one secret deep inside makes a copy', () => {
    const redactor = createRedactor();
    redactor.register('secret-1');
    const clean = { a: [{ b: 'public' }, 1, null], c: { d: 'also public' } };
    assert.equal(redactor.redact(clean), clean);
    const dirty = { a: [{ b: 'public' }, { b: 'x secret-1 y' }], c: { d: 'also public' } };
    const out = redactor.redact(dirty) as typeof dirty;
    assert.notEqual(out, dirty);
    assert.deepEqual(out, { a: [{ b: 'public' }, { b: 'x [redacted] y' }], c: { d: 'also public' } });
    assert.equal(dirty.a[1]?.b, 'x secret-1 y');
    // Registering a new value is seen by the next look.
    redactor.register('public');
    assert.deepEqual(redactor.redact({ b: 'public' }), { b: '[redacted]' });
  });
});
