import { StepInterrupt } from './signals.ts';
import type { StepFactory } from './types.ts';

// When several children stop, the most final outcome speaks for the step.
const SEVERITY: Record<string, number> = { dead: 4, abandoned: 3, retry: 2, suspend: 1 };

/**
 * `parallel`: starts every child step at once (each with its own retries and checkpoint
 * `<id>.<child>`), waits for all, and outputs their outputs by id. Children see the context as it
 * was before the step, not each other's outputs.
 */
export const compileParallelStep: StepFactory<'parallel'> = (definition, { where, compile }) => {
  const children = compile(definition.steps, where);
  return {
    id: definition.id,
    type: 'parallel',
    async run(context, runtime) {
      const settled = await Promise.allSettled(
        children.map((child) => runtime.runBlock([child], context, '.')),
      );
      const output: Record<string, unknown> = {};
      let worst: StepInterrupt | undefined;
      for (const result of settled) {
        if (result.status === 'fulfilled') Object.assign(output, result.value);
        else if (!(result.reason instanceof StepInterrupt)) throw result.reason;
        else if ((SEVERITY[result.reason.outcome.kind] ?? 0) > (SEVERITY[worst?.outcome.kind ?? ''] ?? 0))
          worst = result.reason;
      }
      if (worst !== undefined) throw worst;
      return { input: undefined, output };
    },
  };
};
