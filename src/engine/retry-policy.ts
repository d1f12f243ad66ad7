import { isConfluxError } from '../errors/index.ts';
import type { FlowDefinition } from '../project/index.ts';

/** Backoffs shorter than this are slept in-process; longer ones requeue the run and free the worker. */
export const IN_PROCESS_BACKOFF_LIMIT_MS = 1000;
const MAX_BACKOFF_MS = 60 * 60 * 1000;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const TRANSIENT_CONFLUX_CODES = new Set([
  'SYSTEM_TIMEOUT',
  'SYSTEM_UNREACHABLE',
  'GATEWAY_UPSTREAM_TIMEOUT',
  'GATEWAY_UPSTREAM_UNREACHABLE',
  'STORE_UNAVAILABLE',
]);

/**
 * Whether another try may succeed. A ConfluxError decides through `details.retryable` when it
 * says; otherwise transient codes, timeouts and network errors (anywhere in the cause chain)
 * are retried, and everything else — bad input, mapping errors, 4xx — is not.
 */
export function isRetryable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    if (isConfluxError(current)) {
      if (typeof current.details.retryable === 'boolean') return current.details.retryable;
      if (TRANSIENT_CONFLUX_CODES.has(current.code)) return true;
    } else if (current instanceof Error) {
      if (current.name === 'TimeoutError') return true;
      const code = (current as { code?: unknown }).code;
      if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return false;
}

/**
 * How long the failure asked to be left alone (`details.retryAfterMs`: a system's Retry-After,
 * an exhausted upstream budget), else 0; capped like backoffs.
 */
export function retryAfterOf(error: unknown): number {
  const asked = isConfluxError(error) ? error.details.retryAfterMs : undefined;
  return typeof asked === 'number' && Number.isFinite(asked)
    ? Math.min(Math.max(0, asked), MAX_BACKOFF_MS)
    : 0;
}

/**
 * Delay before try `attempt + 1`: `backoffMs * 2^(attempt-1)`, with "equal jitter" (half fixed,
 * half random) so that runs failing together against one system do not retry in lockstep.
 */
export function backoffDelay(attempt: number, backoffMs: number, random: () => number = Math.random): number {
  const base = Math.min(backoffMs * 2 ** Math.max(0, attempt - 1), MAX_BACKOFF_MS);
  return Math.round(base / 2 + random() * (base / 2));
}

/** The retry policy of one top-level step: its own `retry` when it declares one, else the flow's. */
export function retryFor(
  flow: FlowDefinition,
  stepId: string,
): { readonly attempts: number; readonly backoffMs: number } {
  const step = flow.steps.find((candidate) => candidate.id === stepId);
  return step !== undefined && 'retry' in step && step.retry !== undefined ? step.retry : flow.retry;
}
