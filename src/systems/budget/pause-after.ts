/** A 429 without Retry-After pauses the budget this long. */
export const DEFAULT_PAUSE_MS = 1000;
/** A Retry-After beyond this is capped: calls meanwhile fail with SYSTEM_BUDGET_EXHAUSTED and retry later. */
export const MAX_PAUSE_MS = 10 * 60_000;

/**
 * How long an answer pauses its system's budget: a 429 (by its Retry-After, else 1 s), or a
 * 503 that carries Retry-After (RFC 9110 §10.2.3: the server is overloaded for that long).
 * Other answers, and Retry-After on other statuses (a 3xx or 202 polling hint), pause nothing.
 */
export function pauseAfter(
  status: number,
  retryAfter: string | undefined,
  now = Date.now(),
): number | undefined {
  if (status !== 429 && status !== 503) return undefined;
  const asked = retryAfter === undefined ? undefined : retryAfterMs(retryAfter, now);
  if (asked === undefined) return status === 429 ? DEFAULT_PAUSE_MS : undefined;
  return Math.min(Math.max(asked, 0), MAX_PAUSE_MS);
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from `now`; undefined when unreadable. */
export function retryAfterMs(value: string, now: number): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at - now;
}
