import { ConfluxError } from '../../errors/index.ts';
import { compileExpression } from '../../mapping/index.ts';
import { RunSuspended } from './signals.ts';
import type { StepFactory } from './types.ts';

/**
 * `delay`: parks the run until a time (`duration` from the first try, or `until`). The wake-up
 * time is stored on first execution; meanwhile the run sits in the queue with a later
 * `availableAt` and no worker or memory holds it.
 */
export const compileDelayStep: StepFactory<'delay'> = (definition, { where }) => {
  const until =
    definition.until === undefined ? undefined : compileExpression(definition.until, `${where} until`);
  return {
    id: definition.id,
    type: 'delay',
    async run(context, runtime) {
      const now = Date.now();
      let deadline = now + (definition.durationMs ?? 0);
      if (until !== undefined) {
        const value = await until.evaluate(context);
        deadline = typeof value === 'number' ? value : Date.parse(String(value));
        if (Number.isNaN(deadline)) {
          throw new ConfluxError(
            'ENGINE_STEP_INPUT_INVALID',
            `${where}: until gave ${JSON.stringify(value)}, not a time`,
            {
              details: {
                step: definition.id,
                expected: 'an ISO 8601 time or epoch milliseconds',
                retryable: false,
              },
            },
          );
        }
      }
      const wait = await runtime.services.store.engine.registerWait({
        runId: runtime.runId,
        stepId: runtime.stepKey,
        topic: null,
        deadline,
      });
      if (Date.now() < wait.deadline) throw new RunSuspended(wait.deadline);
      return { input: undefined, output: { until: new Date(wait.deadline).toISOString() } };
    },
  };
};
