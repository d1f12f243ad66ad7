import { createHash } from 'node:crypto';
import { ConfluxError } from '../errors/index.ts';

export const KEK_BYTES = 32;

const HEX = /^[0-9a-fA-F]{64}$/;
// 32 bytes are 43 base64 characters plus one '=' of padding; accept base64url and no padding too.
const BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

export interface ParseKekOptions {
  /** Where the text came from, for the error message (`CONFLUX_SECRET_KEY`, a file path). */
  readonly source?: string;
}

/**
 * Reads a key-encryption key written as 64 hex characters or as base64 of 32 bytes. The
 * error never includes the text: a near-miss key is still mostly a key.
 */
export function parseKek(text: string, options: ParseKekOptions = {}): Buffer {
  const value = text.trim();
  if (HEX.test(value)) return Buffer.from(value, 'hex');
  if (BASE64.test(value)) {
    const bytes = Buffer.from(value.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    if (bytes.length === KEK_BYTES) return bytes;
  }
  const source = options.source ?? 'the key-encryption key';
  throw new ConfluxError(
    'SECRET_KEY_INVALID',
    `${source} must be 64 hex characters or the base64 encoding of 32 bytes (e.g. \`openssl rand -hex 32\`)`,
    { details: { source, expected: '64 hex characters or base64 of 32 bytes' } },
  );
}

/** A short, public fingerprint of a KEK, stored beside each envelope so rotation knows which key sealed it. */
export function kekIdOf(kek: Buffer): string {
  return createHash('sha256').update(kek).digest('hex').slice(0, 8);
}

export function assertKek(kek: Buffer, source = 'the key-encryption key'): void {
  if (kek.length !== KEK_BYTES) {
    throw new ConfluxError('SECRET_KEY_INVALID', `${source} must be ${KEK_BYTES} bytes, not ${kek.length}`, {
      details: { source, expected: `${KEK_BYTES} bytes` },
    });
  }
}
