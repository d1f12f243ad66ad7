import type { StepDefinition } from '../../project/index.ts';
import { compileBranchStep } from './branch.ts';
import { compileCallStep } from './call.ts';
import { compileDelayStep } from './delay.ts';
import { compileEmitStep } from './emit.ts';
import { compileFailStep } from './fail.ts';
import { compileForeachStep } from './foreach.ts';
import { compileHttpStep } from './http.ts';
import { compileMapStep } from './map.ts';
import { compileParallelStep } from './parallel.ts';
import { compileRespondStep } from './respond.ts';
import { compileSubflowStep } from './subflow.ts';
import { compileSwitchStep } from './switch.ts';
import type { CompiledStep, StepCompileContext, StepFactory } from './types.ts';
import { compileWaitStep } from './wait.ts';

/** Every step kind the engine runs. A new kind is one file in this folder and one line here. */
export const stepKinds: { readonly [K in StepDefinition['type']]: StepFactory<K> } = {
  map: compileMapStep,
  call: compileCallStep,
  http: compileHttpStep,
  branch: compileBranchStep,
  switch: compileSwitchStep,
  foreach: compileForeachStep,
  parallel: compileParallelStep,
  delay: compileDelayStep,
  wait: compileWaitStep,
  emit: compileEmitStep,
  respond: compileRespondStep,
  subflow: compileSubflowStep,
  fail: compileFailStep,
};

export function compileStep(definition: StepDefinition, context: StepCompileContext): CompiledStep {
  // The table is keyed by the definition's own type, so this pairing is always right.
  const factory = stepKinds[definition.type] as (
    definition: StepDefinition,
    context: StepCompileContext,
  ) => CompiledStep;
  return factory(definition, context);
}
