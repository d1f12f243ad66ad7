import { randomFillSync } from 'node:crypto';

/**
 * Hex ids (and id bytes) from a pooled random buffer. Every gateway request needs a span id (and, without an
 * incoming trace, a trace id); asking the CSPRNG for 8 or 16 bytes each time cost ~5% of the
 * proxy's CPU in a profile. One 4 KiB fill serves ~170 requests. The ids are unpredictable (same
 * source), only fetched in bulk.
 */
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

function take(bytes: number): number {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const start = offset;
  offset += bytes;
  return start;
}

export function randomHex(bytes: number): string {
  const start = take(bytes);
  return pool.toString('hex', start, start + bytes);
}

/** Random bytes from the same pool, copied out (run ids take 16 per run). */
export function randomPooledBytes(bytes: number): Uint8Array {
  const start = take(bytes);
  return Uint8Array.prototype.slice.call(pool, start, start + bytes);
}
