import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * API keys look like `cfx_dev_3kTqP9...Xw1a2b3c`:
 *   cfx_        a fixed prefix secret scanners can match on
 *   dev_        the environment the key was issued for
 *   30 chars    base62 randomness (≈178 bits)
 *   6 chars     base62 CRC32 of everything before it
 * The checksum lets the gateway reject a mistyped or invented key without a store lookup,
 * and lets scanners tell a real leaked key from random text (the same scheme GitHub uses).
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = /^cfx_([a-z0-9]{1,16})_([0-9A-Za-z]{36})$/;
/** How much of the key is shown in lists and logs: the environment and 6 random characters. */
const VISIBLE_RANDOM = 6;

function toBase62(bytes: Buffer, length: number): string {
  let out = '';
  // Rejection sampling keeps every character uniformly distributed (no modulo bias).
  let pool = bytes;
  let index = 0;
  while (out.length < length) {
    if (index >= pool.length) {
      pool = randomBytes(length);
      index = 0;
    }
    const byte = pool[index++] as number;
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out;
}

function checksum(body: string): string {
  let value = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

export function generateApiKey(environment: string): { key: string; prefix: string } {
  const env =
    environment
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 16) || 'dev';
  const body = `cfx_${env}_${toBase62(randomBytes(RANDOM_LENGTH * 2), RANDOM_LENGTH)}`;
  const key = body + checksum(body);
  return { key, prefix: visiblePrefix(key) };
}

/** True when the text has the shape of a Conflux key and its checksum matches. */
export function isWellFormedApiKey(text: string): boolean {
  const match = KEY_PATTERN.exec(text);
  if (match === null) return false;
  const body = text.slice(0, text.length - CHECKSUM_LENGTH);
  return checksum(body) === text.slice(-CHECKSUM_LENGTH);
}

export function visiblePrefix(key: string): string {
  const envEnd = key.indexOf('_', 4);
  return key.slice(0, envEnd + 1 + VISIBLE_RANDOM);
}
