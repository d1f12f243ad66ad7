import { ConfluxError } from '../../errors/index.ts';
import { compileExpression } from '../../mapping/index.ts';
import type { StepFactory } from './types.ts';

// Statuses a later try may fix; any other 4xx means the request itself is wrong.
const RETRYABLE_STATUSES = new Set([408, 425, 429]);

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
      const response = await runtime.systems.call(definition.system, definition.operation, parameters, {
        correlationId: runtime.correlationId,
        idempotencyKey: `${runtime.runId}:${runtime.stepKey}`,
        traceparent: runtime.traceparent,
        signal: runtime.signal,
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
