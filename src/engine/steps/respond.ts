import { compileExpression } from '../../mapping/index.ts';
import type { StepFactory } from './types.ts';

/**
 * `respond`: answers a synchronous trigger (sync webhook, flow route) now, while the run goes
 * on with its next steps. Without `output` the answer is the outputs of the steps so far.
 */
export const compileRespondStep: StepFactory<'respond'> = (definition, { where }) => {
  const output =
    definition.output === undefined ? undefined : compileExpression(definition.output, `${where} output`);
  return {
    id: definition.id,
    type: 'respond',
    async run(context, runtime) {
      const value = output === undefined ? context.steps : ((await output.evaluate(context)) ?? null);
      await runtime.services.respond(runtime.runId, value);
      return { input: undefined, output: value };
    },
  };
};
