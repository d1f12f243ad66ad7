import { ConfluxError } from '../../errors/index.ts';
import type { StepFactory } from './types.ts';

/**
 * `fail`: ends the run with a typed error that is never retried (a business rule said no).
 * The run's error carries `ENGINE_FLOW_FAILED` and `details.code`, the flow's own code.
 */
export const compileFailStep: StepFactory<'fail'> = (definition, { where }) => ({
  id: definition.id,
  type: 'fail',
  run() {
    return Promise.reject(
      new ConfluxError('ENGINE_FLOW_FAILED', `${where}: ${definition.message}`, {
        details: { step: definition.id, code: definition.code, retryable: false },
      }),
    );
  },
});
