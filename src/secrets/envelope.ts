/**
 * Envelope encryption of one secret value.
 *
 *   data key  = 32 random bytes, fresh for every value written
 *   value     = AES-256-GCM(data key, iv, aad = "conflux-secret/v1\0value\0" + name)
 *               → envelope.ciphertext, envelope.iv (12 bytes), envelope.tag (16 bytes)
 *   wrapped   = AES-256-GCM(KEK, wrapIv, aad = "conflux-secret/v1\0key\0" + name + "\0" + kekId)
 *   envelope.wrappedKey = 0x01 (layout version) ‖ wrapIv (12) ‖ wrapTag (16) ‖ wrapped key (32)
 *
 * Binding the name into both AADs means an envelope copied under another name fails to open.
 * Rotating the KEK re-wraps only the 61-byte wrappedKey; the value's ciphertext stays.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfluxError } from '../errors/index.ts';
import type { SecretEnvelope } from '../store/index.ts';
import { kekIdOf } from './kek.ts';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const LAYOUT_V1 = 0x01;
export const WRAPPED_KEY_BYTES = 1 + IV_BYTES + TAG_BYTES + KEY_BYTES;

function valueAad(name: string): Buffer {
  return Buffer.from(`conflux-secret/v1\0value\0${name}`, 'utf8');
}

function keyAad(name: string, kekId: string): Buffer {
  return Buffer.from(`conflux-secret/v1\0key\0${name}\0${kekId}`, 'utf8');
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES }).setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

/** Throws (from decipher.final) when the key is wrong or any byte was altered. */
function open(key: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES })
    .setAAD(aad)
    .setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

export function wrapDataKey(
  dataKey: Buffer,
  name: string,
  kek: Buffer,
): { wrappedKey: Buffer; kekId: string } {
  const kekId = kekIdOf(kek);
  const { iv, tag, ciphertext } = seal(kek, dataKey, keyAad(name, kekId));
  return { wrappedKey: Buffer.concat([Buffer.of(LAYOUT_V1), iv, tag, ciphertext]), kekId };
}

function decryptFailed(name: string, cause?: unknown): ConfluxError {
  return new ConfluxError(
    'SECRET_DECRYPT_FAILED',
    `The secret "${name}" failed authentication: it was altered, or sealed under a different key-encryption key`,
    { details: { name }, cause },
  );
}

export function unwrapDataKey(envelope: SecretEnvelope, kek: Buffer): Buffer {
  const packed = envelope.wrappedKey;
  if (packed.length !== WRAPPED_KEY_BYTES || packed[0] !== LAYOUT_V1) throw decryptFailed(envelope.name);
  const iv = packed.subarray(1, 1 + IV_BYTES);
  const tag = packed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const wrapped = packed.subarray(1 + IV_BYTES + TAG_BYTES);
  try {
    return open(kek, iv, tag, wrapped, keyAad(envelope.name, envelope.kekId));
  } catch (cause) {
    throw decryptFailed(envelope.name, cause);
  }
}

export function sealSecret(name: string, value: string, kek: Buffer, now: number): SecretEnvelope {
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const { iv, tag, ciphertext } = seal(dataKey, Buffer.from(value, 'utf8'), valueAad(name));
    const { wrappedKey, kekId } = wrapDataKey(dataKey, name, kek);
    return { name, ciphertext, iv, tag, wrappedKey, kekId, updatedAt: now };
  } finally {
    dataKey.fill(0);
  }
}

export function openSecret(envelope: SecretEnvelope, kek: Buffer): string {
  const dataKey = unwrapDataKey(envelope, kek);
  try {
    return open(dataKey, envelope.iv, envelope.tag, envelope.ciphertext, valueAad(envelope.name)).toString(
      'utf8',
    );
  } catch (cause) {
    throw decryptFailed(envelope.name, cause);
  } finally {
    dataKey.fill(0);
  }
}
