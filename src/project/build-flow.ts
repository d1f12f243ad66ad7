import { buildControl, buildExtraStep, buildExtraTrigger, buildSignature } from './build-flow-kinds.ts';
import type { FlowFile, StepFile, TriggerFile } from './file-shapes.ts';
import { flowVersion } from './flow-version.ts';
import type { FlowDefinition, MappingDefinition, StepDefinition, TriggerDefinition } from './model.ts';
import type { PathSegment, YamlFile } from './yaml-file.ts';

export const flowDefaults = {
  retry: { attempts: 3, backoffMs: 1000 },
  webhookMode: 'async',
  timezone: 'UTC',
} as const;

/**
 * A flow file as the model. A map step naming a mapping gets the mapping's text as its
 * expression; a mapping that does not exist is reported by the reference checks, and here the
 * step keeps an empty expression so the rest of the flow can still be checked.
 */
export function buildFlow(
  file: FlowFile,
  yaml: YamlFile,
  mappings: ReadonlyMap<string, MappingDefinition>,
  /** The project root: folders a trigger watches are written relative to it. */
  root: string,
): FlowDefinition {
  const triggers = (file.triggers ?? []).map((trigger, index) =>
    buildTrigger(trigger, file.name, yaml.valueAt(['triggers', index]), root),
  );
  const buildAt = (step: StepFile, at: PathSegment[]): StepDefinition =>
    step.type === 'call' || step.type === 'map'
      ? buildStep(step, mappings, yaml.valueAt(at))
      : buildExtraStep(step, at, yaml.valueAt(at), (nested, path) =>
          nested.map((inner, index) => buildAt(inner as StepFile, [...path, index])),
        );
  const steps = file.steps.map((step, index) => buildAt(step, ['steps', index]));
  const retry = {
    attempts: file.retry?.attempts ?? flowDefaults.retry.attempts,
    backoffMs: file.retry?.backoffMs ?? flowDefaults.retry.backoffMs,
  };
  const definition = {
    name: file.name,
    ...(file.description === undefined ? {} : { description: file.description }),
    triggers,
    steps,
    ...(file.output === undefined ? {} : { output: file.output }),
    retry,
    ...(file.control === undefined ? {} : { control: buildControl(file.control) }),
  };
  const usedMappings = [
    ...new Set(steps.flatMap((step) => (step.type === 'map' && step.mapping ? [step.mapping] : []))),
  ]
    .sort()
    .map((name) => mappings.get(name)?.expression ?? '');
  return { ...definition, version: flowVersion(definition, usedMappings), source: yaml.valueAt([]) };
}

function buildTrigger(
  trigger: TriggerFile,
  flowName: string,
  source: TriggerDefinition['source'],
  root: string,
): TriggerDefinition {
  if (trigger.type === 'webhook') {
    return {
      type: 'webhook',
      path: trigger.path ?? flowName,
      mode: trigger.mode ?? flowDefaults.webhookMode,
      ...(trigger.signature === undefined ? {} : { signature: buildSignature(trigger.signature) }),
      source,
    };
  }
  if (
    trigger.type === 'event' ||
    trigger.type === 'poll' ||
    trigger.type === 'message' ||
    trigger.type === 'file'
  )
    return buildExtraTrigger(trigger, source, root);
  return {
    type: 'schedule',
    cron: trigger.cron,
    timezone: trigger.timezone ?? flowDefaults.timezone,
    ...(trigger.input === undefined ? {} : { input: trigger.input }),
    source,
  };
}

function buildStep(
  step: Extract<StepFile, { type: 'map' | 'call' }>,
  mappings: ReadonlyMap<string, MappingDefinition>,
  source: StepDefinition['source'],
): StepDefinition {
  if (step.type === 'call') {
    return {
      id: step.id,
      type: 'call',
      system: step.system,
      operation: step.operation,
      ...(step.input === undefined ? {} : { input: step.input }),
      ...(step.retry === undefined
        ? {}
        : {
            retry: {
              attempts: step.retry.attempts ?? flowDefaults.retry.attempts,
              backoffMs: step.retry.backoffMs ?? flowDefaults.retry.backoffMs,
            },
          }),
      ...(step.compensate === undefined ? {} : { compensate: step.compensate }),
      source,
    };
  }
  if (step.mapping !== undefined) {
    return {
      id: step.id,
      type: 'map',
      expression: mappings.get(step.mapping)?.expression ?? '',
      mapping: step.mapping,
      source,
    };
  }
  return { id: step.id, type: 'map', expression: step.expression ?? '', source };
}
