import { ConfluxError, isConfluxError } from '../../errors/index.ts';
import { compileExpression } from '../../mapping/index.ts';
import { RunSuspended } from './signals.ts';
import type { StepFactory } from './types.ts';

// Statuses a later try may fix; any other 4xx means the request itself is wrong.
const RETRYABLE_STATUSES = new Set([408, 425, 429]);

/**
 * How long a run parks when the system refused its credentials (SYSTEM_AUTH_FAILED `invalid`):
 * the flow is paused meanwhile (docs/connectors.md), so the run waits in the queue, spending no
 * try, and calls again once the flow is resumed with working credentials.
 */
export const INVALID_CREDENTIALS_PARK_MS = 15_000;

/**
 * `call`: evaluates `input` into the operation's parameters and calls the system with the
 * idempotency key `<runId>:<stepKey>` (`loop[3].reserve` inside a foreach), stable across retries and resumes, so the system can
 * recognise a repeat of a call whose answer we lost.
 */
export const compileCallStep: StepFactory<'call'> = (definition, { where }) => {
  const input =
    definition.input === undefined ? undefined : compileExpression(definition.input, `${where} input`);
  const target = `${definition.system}.${definition.operation}`;
  return {
    id: definition.id,
    type: 'call',
    async run(context, runtime) {
      const value = input === undefined ? {} : ((await input.evaluate(context)) ?? {});
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new ConfluxError(
          'ENGINE_STEP_FAILED',
          `${where}: input must evaluate to an object of parameters for ${target}`,
          {
            details: {
              step: definition.id,
              expected: 'an object like { "sku": ..., "body": ... }',
              retryable: false,
            },
          },
        );
      }
      const parameters = value as Record<string, unknown>;
      const response = await runtime.systems
        .call(definition.system, definition.operation, parameters, {
          correlationId: runtime.correlationId,
          idempotencyKey: `${runtime.runId}:${runtime.stepKey}`,
          traceparent: runtime.traceparent,
          signal: runtime.signal,
        })
        .catch((error: unknown) => {
          if (isConfluxError(error) && error.code === 'SYSTEM_AUTH_FAILED' && error.details.invalid === true)
            throw new RunSuspended(Date.now() + INVALID_CREDENTIALS_PARK_MS);
          throw error;
        });
      if (response.status >= 400) {
        throw new ConfluxError('ENGINE_STEP_FAILED', `${where}: ${target} answered HTTP ${response.status}`, {
          details: {
            step: definition.id,
            status: response.status,
            retryable: response.status >= 500 || RETRYABLE_STATUSES.has(response.status),
          },
        });
      }
      return {
        input: parameters,
        output: { status: response.status, headers: response.headers, body: response.body },
      };
    },
  };
};
