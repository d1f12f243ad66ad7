import { createHmac } from 'node:crypto';

/**
 * The HMAC of a request: hex digest of `<timestamp>.<METHOD>.<path with query>.<body>`, so a
 * captured signature cannot be replayed on another path, method, body or (server-side) later on.
 */
export function hmacSignature(
  key: string,
  algorithm: 'sha256' | 'sha512',
  request: { readonly method: string; readonly path: string; readonly body?: string },
  timestamp: number,
): string {
  return createHmac(algorithm, key)
    .update(`${timestamp}.${request.method.toUpperCase()}.${request.path}.${request.body ?? ''}`)
    .digest('hex');
}
