import { compileExpression } from '../../mapping/index.ts';
import type { StepFactory } from './types.ts';

/**
 * `switch`: evaluates `value` and runs the steps of the first case whose `when` equals it
 * (strictly), else `default`. Nested steps are checkpointed as `<id>.<case index|default>.<inner>`.
 */
export const compileSwitchStep: StepFactory<'switch'> = (definition, { where, compile }) => {
  const value = compileExpression(definition.value, `${where} value`);
  const cases = definition.cases.map((entry, index) => ({
    when: entry.when,
    steps: compile(entry.steps, `${where} case ${index + 1}`),
  }));
  const fallback = compile(definition.default, `${where} default`);
  return {
    id: definition.id,
    type: 'switch',
    async run(context, runtime) {
      const actual = await value.evaluate(context);
      const index = cases.findIndex((entry) => entry.when === actual);
      const chosen = cases[index];
      const scope = chosen === undefined ? '.default.' : `.${index}.`;
      const steps = await runtime.runBlock(chosen === undefined ? fallback : chosen.steps, context, scope);
      const matched = chosen === undefined ? null : chosen.when;
      return { input: { value: actual ?? null }, output: { case: matched, steps } };
    },
  };
};
