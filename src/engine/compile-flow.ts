import { Cron } from 'croner';
import { ConfluxError } from '../errors/index.ts';
import { type CompiledExpression, compileExpression } from '../mapping/index.ts';
import type { FlowDefinition, MappingDefinition, StepDefinition } from '../project/index.ts';
import { type CompiledControl, compileControl } from './flow-control/compile-control.ts';
import { compileStep } from './steps/registry.ts';
import type { CompiledStep } from './steps/types.ts';

export interface CompiledSchedule {
  /** `<flow>:<trigger index>`: the key fires are claimed under, stable while the file keeps its order. */
  readonly key: string;
  readonly cron: Cron;
  readonly input: CompiledExpression | undefined;
}

export interface CompiledFlow {
  readonly definition: FlowDefinition;
  readonly steps: readonly CompiledStep[];
  readonly output: CompiledExpression | undefined;
  readonly schedules: readonly CompiledSchedule[];
  readonly control: CompiledControl;
}

function compileSchedules(flow: FlowDefinition): CompiledSchedule[] {
  const schedules: CompiledSchedule[] = [];
  flow.triggers.forEach((trigger, index) => {
    if (trigger.type !== 'schedule') return;
    const where = `${flow.source.file} trigger ${index + 1}`;
    let cron: Cron;
    try {
      cron = new Cron(trigger.cron, { timezone: trigger.timezone, paused: true });
    } catch (cause) {
      throw new ConfluxError(
        'ENGINE_SCHEDULE_INVALID',
        `${where}: cron "${trigger.cron}" in ${trigger.timezone} is not valid`,
        {
          details: {
            where,
            expected: "5 fields, or 6 with seconds first, e.g. '0 */15 * * * *'; an IANA time zone",
          },
          cause,
        },
      );
    }
    const input =
      trigger.input === undefined ? undefined : compileExpression(trigger.input, `${where} input`);
    schedules.push({ key: `${flow.name}:${index}`, cron, input });
  });
  return schedules;
}

/** Compiles every expression and schedule of a flow, so that errors surface at load, not mid-run. */
export function compileFlow(
  flow: FlowDefinition,
  mappings: ReadonlyMap<string, MappingDefinition>,
): CompiledFlow {
  const compile = (steps: readonly StepDefinition[], parent: string) =>
    steps.map((step) => compileStep(step, { where: `${parent} step "${step.id}"`, mappings, compile }));
  return {
    definition: flow,
    steps: compile(flow.steps, flow.source.file),
    output:
      flow.output === undefined ? undefined : compileExpression(flow.output, `${flow.source.file} output`),
    schedules: compileSchedules(flow),
    control: compileControl(flow),
  };
}
