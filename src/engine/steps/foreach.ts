import { ConfluxError } from '../../errors/index.ts';
import { compileExpression } from '../../mapping/index.ts';
import { StepInterrupt } from './signals.ts';
import type { StepFactory } from './types.ts';

// One run's fan-out stays bounded: each item is a set of checkpoints in the store.
const MAX_ITEMS = 10_000;
const SEVERITY: Record<string, number> = { dead: 4, abandoned: 3, retry: 2, suspend: 1 };

/**
 * `foreach`: runs the nested steps once per item of `items`, at most `concurrency` items at a
 * time. Each iteration's steps are checkpointed as `<id>[<index>].<inner>`, so a resumed run
 * skips the items already done. Expressions inside see `item` and `index`. The output is one
 * object per item: its steps' outputs by id.
 */
export const compileForeachStep: StepFactory<'foreach'> = (definition, { where, compile }) => {
  const items = compileExpression(definition.items, `${where} items`);
  const steps = compile(definition.steps, where);
  return {
    id: definition.id,
    type: 'foreach',
    async run(context, runtime) {
      const value = await items.evaluate(context);
      const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
      if (list.length > MAX_ITEMS) {
        throw new ConfluxError(
          'ENGINE_STEP_INPUT_INVALID',
          `${where}: items gave ${list.length} items, more than ${MAX_ITEMS}`,
          {
            details: { step: definition.id, limit: MAX_ITEMS, retryable: false },
          },
        );
      }
      const results: Record<string, unknown>[] = new Array(list.length);
      let next = 0;
      let worst: StepInterrupt | undefined;
      let failure: unknown;
      // Each lane takes the next item until none are left or one stopped for good.
      const lane = async () => {
        while (next < list.length && worst?.outcome.kind !== 'dead' && failure === undefined) {
          const index = next++;
          try {
            results[index] = await runtime.runBlock(
              steps,
              { ...context, item: list[index], index },
              `[${index}].`,
            );
          } catch (error) {
            if (!(error instanceof StepInterrupt)) failure ??= error;
            else if ((SEVERITY[error.outcome.kind] ?? 0) > (SEVERITY[worst?.outcome.kind ?? ''] ?? 0))
              worst = error;
          }
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(definition.concurrency, Math.max(1, list.length)) }, lane),
      );
      if (failure !== undefined) throw failure;
      if (worst !== undefined) throw worst;
      return { input: { items: list.length }, output: results };
    },
  };
};
