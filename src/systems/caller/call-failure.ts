import { ConfluxError } from '../../errors/index.ts';
import { retryAfterMs } from '../budget/pause-after.ts';
import { operationOutcomeError } from '../fhir/operation-outcome.ts';
import type { SystemResponse } from '../types.ts';

/** How one try of a system call ended. */
export type Attempt =
  | { readonly kind: 'answer'; readonly response: SystemResponse; readonly retryAfter: string | undefined }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly error: unknown };

/** The typed error of a call whose last try failed: timeout, network, or an HTTP status with the system's own body. */
export function failure(
  result: Attempt,
  facts: {
    system: string;
    operation: string;
    where: string;
    attempts: number;
    timeoutMs: number;
    retryable: boolean;
  },
): ConfluxError {
  const { where, ...details } = facts;
  const tries = facts.attempts === 1 ? '' : ` after ${facts.attempts} tries`;
  if (result.kind === 'timeout') {
    return new ConfluxError(
      'SYSTEM_TIMEOUT',
      `${where} did not answer within ${facts.timeoutMs} ms${tries}.`,
      {
        details: { ...details, retryable: true },
      },
    );
  }
  if (result.kind === 'network') {
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    return new ConfluxError('SYSTEM_UNREACHABLE', `${where} cannot be reached${tries}: ${reason}.`, {
      details: { ...details, retryable: true },
      cause: result.error,
    });
  }
  const { status, body } = result.response;
  const retryAfter =
    result.retryAfter === undefined ? undefined : retryAfterMs(result.retryAfter, Date.now());
  const outcome = operationOutcomeError(status, body, facts);
  if (outcome !== undefined) return outcome;
  return new ConfluxError(
    'SYSTEM_CALL_FAILED',
    `${where} answered HTTP ${status}${tries}; expected a 2xx status.`,
    {
      details: {
        system: facts.system,
        operation: facts.operation,
        status,
        body,
        retryable: facts.retryable,
        attempts: facts.attempts,
        // The engine's retry waits at least this long (a 429's or 503's Retry-After).
        ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
      },
    },
  );
}

/** JSON when the content type says so (and it parses); otherwise the text as it came. */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType !== undefined && /[/+]json\b/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
