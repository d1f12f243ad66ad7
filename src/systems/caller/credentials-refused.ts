import { ConfluxError } from '../../errors/index.ts';
import type { ConnectionHealthTracker } from '../auth/connection-health.ts';
import type { SystemResponse } from '../types.ts';

/**
 * A system refused freshly fetched credentials with 401 twice in a row: the connection is
 * invalid (which emits its event once and pauses the flows using it) and the call fails with
 * SYSTEM_AUTH_FAILED marked `invalid`, the mark the engine's call step suspends runs on.
 */
export function credentialsRefused(
  health: ConnectionHealthTracker | undefined,
  response: SystemResponse,
  facts: { system: string; operation: string; where: string },
): ConfluxError {
  const reason = `${facts.where} refused the credentials twice with HTTP 401`;
  health?.set(facts.system, 'invalid', reason);
  return new ConfluxError('SYSTEM_AUTH_FAILED', `${reason}; rotate them (conflux secret set) to resume.`, {
    details: {
      system: facts.system,
      operation: facts.operation,
      status: response.status,
      body: response.body,
      retryable: false,
      invalid: true,
    },
  });
}
