import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { ConfluxError } from '../../src/errors/index.ts';
import { kekIdOf, openSecret, sealSecret } from '../../src/secrets/index.ts';

const kek = randomBytes(32);

function rejectsWith(code: string) {
  return (error: unknown) => error instanceof ConfluxError && error.code === code;
}

function flipByte(buffer: Buffer, index: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

describe('secret envelope', () => {
  test('seals with a fresh data key and IV each time and opens again', () => {
    const a = sealSecret('crm.token', 'sk_live_123456', kek, 1000);
    const b = sealSecret('crm.token', 'sk_live_123456', kek, 1000);
    assert.equal(openSecret(a, kek), 'sk_live_123456');
    assert.equal(a.iv.length, 12);
    assert.equal(a.tag.length, 16);
    assert.equal(a.wrappedKey.length, 61, 'version byte + iv 12 + tag 16 + key 32');
    assert.equal(a.wrappedKey[0], 1);
    assert.equal(a.kekId, kekIdOf(kek));
    assert.match(a.kekId, /^[0-9a-f]{8}$/);
    assert.notDeepEqual(a.ciphertext, b.ciphertext);
    assert.notDeepEqual(a.wrappedKey, b.wrappedKey);
    assert.ok(!a.ciphertext.includes(Buffer.from('sk_live')));
  });

  test('unicode and empty values round-trip', () => {
    for (const value of ['', 'pässwörd ✓ 秘密', 'x'.repeat(10_000)]) {
      assert.equal(openSecret(sealSecret('n', value, kek, 0), kek), value);
    }
  });

  test('a different KEK cannot open it', () => {
    const envelope = sealSecret('crm.token', 'value-1234', kek, 0);
    assert.throws(() => openSecret(envelope, randomBytes(32)), rejectsWith('SECRET_DECRYPT_FAILED'));
  });

  test('any altered byte is rejected', () => {
    const envelope = sealSecret('crm.token', 'value-1234', kek, 0);
    const tampered = [
      { ...envelope, ciphertext: flipByte(envelope.ciphertext, 0) },
      { ...envelope, iv: flipByte(envelope.iv, 5) },
      { ...envelope, tag: flipByte(envelope.tag, 15) },
      { ...envelope, wrappedKey: flipByte(envelope.wrappedKey, 40) },
      { ...envelope, wrappedKey: flipByte(envelope.wrappedKey, 0) },
      { ...envelope, wrappedKey: envelope.wrappedKey.subarray(0, 60) },
    ];
    for (const candidate of tampered) {
      assert.throws(() => openSecret(candidate, kek), rejectsWith('SECRET_DECRYPT_FAILED'));
    }
  });

  test('an envelope moved to another name does not open (name is bound as AAD)', () => {
    const envelope = sealSecret('crm.token', 'value-1234', kek, 0);
    assert.throws(
      () => openSecret({ ...envelope, name: 'erp.token' }, kek),
      rejectsWith('SECRET_DECRYPT_FAILED'),
    );
  });

  test('the decrypt error names the secret, never the value or key', () => {
    const envelope = sealSecret('crm.token', 'value-1234', kek, 0);
    try {
      openSecret(envelope, randomBytes(32));
      assert.fail('expected a failure');
    } catch (error) {
      assert.ok(error instanceof ConfluxError);
      assert.match(error.message, /crm\.token/);
      assert.doesNotMatch(error.message + JSON.stringify(error.details), /value-1234/);
    }
  });
});
