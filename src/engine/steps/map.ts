import { compileExpression } from '../../mapping/index.ts';
import type { StepFactory } from './types.ts';

/** `map`: evaluates a JSONata expression over `{ trigger, steps }`; its value is the step output. */
export const compileMapStep: StepFactory<'map'> = (definition, { where, mappings }) => {
  const mapping = definition.mapping === undefined ? undefined : mappings.get(definition.mapping);
  const expression = compileExpression(
    definition.expression,
    mapping === undefined ? where : `${mapping.source.file} (used by ${where})`,
  );
  return {
    id: definition.id,
    type: 'map',
    async run(context) {
      // The input is the whole context, which the run and earlier steps already recorded.
      return { input: undefined, output: await expression.evaluate(context) };
    },
  };
};
