import { compileExpression } from '../../mapping/index.ts';
import type { StepFactory } from './types.ts';

/**
 * `branch`: runs `then` when the condition is truthy, else `else`. The nested steps are
 * checkpointed as `<id>.then.<inner>` / `<id>.else.<inner>`; the output names the branch taken
 * and the outputs of its steps.
 */
export const compileBranchStep: StepFactory<'branch'> = (definition, { where, compile }) => {
  const condition = compileExpression(definition.if, `${where} if`);
  const thenSteps = compile(definition.then, `${where} then`);
  const elseSteps = compile(definition.else, `${where} else`);
  return {
    id: definition.id,
    type: 'branch',
    async run(context, runtime) {
      const taken = (await condition.evaluate(context)) ? 'then' : 'else';
      const steps = await runtime.runBlock(taken === 'then' ? thenSteps : elseSteps, context, `.${taken}.`);
      return { input: { branch: taken }, output: { branch: taken, steps } };
    },
  };
};
