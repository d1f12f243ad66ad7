import type { StepDefinition } from '../../project/index.ts';
import { compileCallStep } from './call.ts';
import { compileMapStep } from './map.ts';
import type { CompiledStep, StepCompileContext, StepFactory } from './types.ts';

/** Every step kind the engine runs. A new kind is one file in this folder and one line here. */
export const stepKinds: { readonly [K in StepDefinition['type']]: StepFactory<K> } = {
  map: compileMapStep,
  call: compileCallStep,
};

export function compileStep(definition: StepDefinition, context: StepCompileContext): CompiledStep {
  // The table is keyed by the definition's own type, so this pairing is always right.
  const factory = stepKinds[definition.type] as (
    definition: StepDefinition,
    context: StepCompileContext,
  ) => CompiledStep;
  return factory(definition, context);
}
