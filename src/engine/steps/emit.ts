import { compileExpression } from '../../mapping/index.ts';
import { stableId } from './stable-id.ts';
import type { StepFactory } from './types.ts';

/**
 * `emit`: publishes an event on the internal bus. It is stored first (so it survives a crash)
 * under an id fixed by run and step, so a repeated step publishes it once; then it resumes
 * matching `wait` steps and starts flows with an `event` trigger of that name.
 */
export const compileEmitStep: StepFactory<'emit'> = (definition, { where }) => {
  const data =
    definition.data === undefined ? undefined : compileExpression(definition.data, `${where} data`);
  const key = definition.key === undefined ? undefined : compileExpression(definition.key, `${where} key`);
  return {
    id: definition.id,
    type: 'emit',
    async run(context, runtime) {
      const payload = data === undefined ? null : ((await data.evaluate(context)) ?? null);
      const keyValue = key === undefined ? undefined : await key.evaluate(context);
      const event = {
        id: stableId('event', runtime.runId, runtime.stepKey),
        name: definition.event,
        key: keyValue === undefined || keyValue === null ? null : String(keyValue),
        data: payload,
      };
      await runtime.services.publish(event);
      return { input: undefined, output: { id: event.id, event: event.name, key: event.key } };
    },
  };
};
