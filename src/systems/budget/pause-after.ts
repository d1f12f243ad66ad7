/** A 429 without Retry-After pauses the budget this long. */
export const DEFAULT_PAUSE_MS = 1000;
/** A Retry-After beyond this is capped: calls meanwhile fail with SYSTEM_BUDGET_EXHAUSTED and retry later. */
export const MAX_PAUSE_MS = 10 * 60_000;

/**
 * How long an answer pauses its system's budget: a 429 (by its Retry-After, else 1 s), a 503
 * that carries Retry-After (RFC 9110 §10.2.3: the server is overloaded for that long), or any
 * other answer saying its quota is used up (remaining 0, see pauseForQuota) until the quota
 * resets. Retry-After on other statuses (a 3xx or 202 polling hint) pauses nothing.
 */
export function pauseAfter(
  status: number,
  retryAfter: string | undefined,
  now = Date.now(),
  quota?: QuotaHeaders,
): number | undefined {
  if (status !== 429 && status !== 503) return quota === undefined ? undefined : pauseForQuota(quota, now);
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

/** A vendor's quota headers, as answered (names lower-case). */
export interface QuotaHeaders {
  /** `RateLimit` of the IETF draft: `limit=10, remaining=0, reset=30` or `"default";r=0;t=30`. */
  readonly combined?: string | undefined;
  /** `RateLimit-Remaining` or `X-RateLimit-Remaining`. */
  readonly remaining?: string | undefined;
  /** `RateLimit-Reset` or `X-RateLimit-Reset`: seconds from now, or epoch seconds (GitHub). */
  readonly reset?: string | undefined;
}

/** Reads the quota headers through `header` (a lookup by lower-case name). */
export function quotaHeaders(header: (name: string) => string | undefined): QuotaHeaders | undefined {
  const quota = {
    combined: header('ratelimit'),
    remaining: header('ratelimit-remaining') ?? header('x-ratelimit-remaining'),
    reset: header('ratelimit-reset') ?? header('x-ratelimit-reset'),
  };
  return quota.combined === undefined && quota.remaining === undefined ? undefined : quota;
}

// The IETF `RateLimit` field: `remaining=0, reset=30` (draft 07) or `;r=0;t=30` (later drafts).
const COMBINED_REMAINING = /(?:^|[;,\s])(?:remaining|r)=(\d+)/;
const COMBINED_RESET = /(?:^|[;,\s])(?:reset|t)=(\d+)/;
// A reset above this is an epoch time in seconds (year 2001 on), below it a delay in seconds.
const EPOCH_SECONDS_FROM = 1_000_000_000;

/**
 * A call that used up the vendor's quota (remaining 0 with a known reset) pauses the budget
 * until the reset, so the next calls wait instead of collecting 429s. Anything unreadable
 * pauses nothing: the 429 that follows still does.
 */
export function pauseForQuota(quota: QuotaHeaders, now: number): number | undefined {
  const field = (pattern: RegExp) => pattern.exec(quota.combined ?? '')?.[1];
  const remaining = quota.remaining ?? field(COMBINED_REMAINING);
  const reset = quota.reset ?? field(COMBINED_RESET);
  if (remaining === undefined || reset === undefined || Number(remaining.trim()) !== 0) return undefined;
  const seconds = Number(reset.trim());
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  const pauseMs = seconds >= EPOCH_SECONDS_FROM ? seconds * 1000 - now : seconds * 1000;
  return pauseMs <= 0 ? undefined : Math.min(pauseMs, MAX_PAUSE_MS);
}
