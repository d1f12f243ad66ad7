import { ConfluxError } from '../../errors/index.ts';
import { compileExpression } from '../../mapping/index.ts';
import { RunSuspended } from './signals.ts';
import type { StepFactory } from './types.ts';

/** Topic an event delivers to: by name, or by name and key when the emitter gave one. */
export function eventTopic(name: string, key: string | null): string {
  return key === null ? `event:${name}` : `event:${name}:${key}`;
}

/**
 * `wait`: parks the run until an event (optionally with a key) or a call to its callback URL
 * arrives, or the timeout passes. The wait is stored, not held in memory: a run can wait for
 * days, across restarts, and any worker resumes it when the delivery makes it due.
 */
export const compileWaitStep: StepFactory<'wait'> = (definition, { where }) => {
  const key = definition.key === undefined ? undefined : compileExpression(definition.key, `${where} key`);
  return {
    id: definition.id,
    type: 'wait',
    async run(context, runtime) {
      let topic: string;
      if (definition.callback === true) {
        topic = `callback:${runtime.services.callbackPath(runtime.runId, runtime.stepKey).split('/').pop()}`;
      } else {
        const value = key === undefined ? undefined : await key.evaluate(context);
        topic = eventTopic(
          definition.event ?? '',
          value === undefined || value === null ? null : String(value),
        );
      }
      const engine = runtime.services.store.engine;
      const registration = {
        runId: runtime.runId,
        stepId: runtime.stepKey,
        topic,
        deadline: Date.now() + definition.timeoutMs,
      };
      const wait = await engine.registerWait(registration);
      if (wait.deliveredAt !== null)
        return { input: { topic }, output: { timedOut: false, payload: wait.payload } };
      if (Date.now() < wait.deadline) {
        throw new RunSuspended(
          wait.deadline,
          async () => (await engine.registerWait(registration)).deliveredAt !== null,
        );
      }
      if (definition.onTimeout === 'continue')
        return { input: { topic }, output: { timedOut: true, payload: null } };
      throw new ConfluxError(
        'ENGINE_WAIT_TIMEOUT',
        `${where}: nothing arrived on ${topic.split(':')[0]} within ${definition.timeoutMs} ms`,
        {
          details: { step: definition.id, retryable: false },
        },
      );
    },
  };
};
