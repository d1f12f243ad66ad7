import type { IncomingHttpHeaders } from 'node:http';
import type { RetrySettings } from '../../project/index.ts';

/** RFC 9110 §9.2.2: methods whose repetition has the effect of one call. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** Statuses that say "try again": overloaded, gateway trouble, or an explicit rate limit. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** A request may be sent again only if repeating it is harmless. */
export function mayRetry(method: string, headers: IncomingHttpHeaders): boolean {
  return IDEMPOTENT.has(method) || typeof headers['idempotency-key'] === 'string';
}

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 1), or undefined when no
 * further attempt should be made. Exponential backoff with full jitter (a random wait between 0
 * and backoffMs·2^(attempt-1), capped by maxBackoffMs); a Retry-After from the upstream wins when
 * given, and one longer than maxBackoffMs means "not worth waiting": no retry.
 */
export function retryDelay(
  attempt: number,
  settings: RetrySettings,
  retryAfter: string | undefined,
  random: () => number = Math.random,
  now: () => number = Date.now,
): number | undefined {
  if (attempt >= settings.attempts) return undefined;
  if (retryAfter !== undefined) {
    const ms = parseRetryAfter(retryAfter, now());
    if (ms !== undefined) return ms <= settings.maxBackoffMs ? ms : undefined;
  }
  const ceiling = Math.min(settings.maxBackoffMs, settings.backoffMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
