const MAX_RETRY_AFTER_MS = 30_000;

/** Statuses a later try may fix; any other 4xx means the request itself is wrong. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Milliseconds before try `attempt + 1`: the system's Retry-After when it sent one (capped, so
 * a misconfigured system cannot park a call for hours), else exponential backoff with equal
 * jitter so that callers failing together do not retry in lockstep.
 */
export function retryDelay(
  attempt: number,
  backoffMs: number,
  retryAfter: string | undefined,
  now = Date.now(),
): number {
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(ms)) return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
  }
  const base = backoffMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(base / 2 + Math.random() * (base / 2));
}
