import { ConfluxError } from '../../errors/index.ts';
import { compileExpression } from '../../mapping/index.ts';
import { RunSuspended } from './signals.ts';
import { stableId } from './stable-id.ts';
import type { StepFactory } from './types.ts';

const FINISHED = new Set(['succeeded', 'failed', 'dead']);

/**
 * `subflow`: starts a run of another flow (its id fixed by run and step, so a repeat does not
 * start a second one) and parks until it finishes; the child's output is the step's output.
 * The child's finish wakes the parent at once.
 */
export const compileSubflowStep: StepFactory<'subflow'> = (definition, { where }) => {
  const input =
    definition.input === undefined ? undefined : compileExpression(definition.input, `${where} input`);
  return {
    id: definition.id,
    type: 'subflow',
    async run(context, runtime) {
      const { store } = runtime.services;
      const childId = stableId('subflow', runtime.runId, runtime.stepKey);
      const registration = {
        runId: runtime.runId,
        stepId: runtime.stepKey,
        topic: `run:${childId}`,
        deadline: Date.now() + definition.timeoutMs,
      };
      const wait = await store.engine.registerWait(registration);
      let child = await store.runs.get(childId);
      if (child === undefined) {
        const value = input === undefined ? context.trigger : await input.evaluate(context);
        await runtime.services.startChild(definition.flow, value ?? null, childId, runtime.correlationId);
        child = await store.runs.get(childId);
      }
      if (child !== undefined && child.status === 'succeeded') {
        return { input: { flow: definition.flow, runId: childId }, output: child.output };
      }
      if (child !== undefined && FINISHED.has(child.status)) {
        throw new ConfluxError(
          'ENGINE_SUBFLOW_FAILED',
          `${where}: run ${childId} of flow ${definition.flow} ended ${child.status}`,
          {
            details: { step: definition.id, runId: childId, flow: definition.flow, retryable: false },
          },
        );
      }
      if (Date.now() < wait.deadline) {
        throw new RunSuspended(wait.deadline, async () =>
          FINISHED.has((await store.runs.get(childId))?.status ?? ''),
        );
      }
      throw new ConfluxError(
        'ENGINE_WAIT_TIMEOUT',
        `${where}: run ${childId} of flow ${definition.flow} did not finish in ${definition.timeoutMs} ms`,
        {
          details: { step: definition.id, runId: childId, retryable: false },
        },
      );
    },
  };
};
