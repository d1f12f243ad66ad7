import { convertActions } from './actions.ts';
import { convertStep, type StepContext } from './convert-step.ts';
import { appendPointer } from './json-path.ts';
import { objectExpression, translateValue } from './payload.ts';
import type { SourceIndex } from './sources.ts';
import { attempt, type ConvertedStep, createScope } from './step-scope.ts';
import { type ConvertIssues, isJson, type Json } from './types.ts';

const WORKFLOW_FIELDS = new Set([
  'workflowId',
  'summary',
  'description',
  'inputs',
  'dependsOn',
  'steps',
  'successActions',
  'failureActions',
  'outputs',
  'parameters',
]);

export interface WorkflowContext {
  readonly issues: ConvertIssues;
  readonly sources: SourceIndex;
  readonly components: Json;
  readonly flowNames: ReadonlyMap<string, string>;
}

/**
 * One Arazzo workflow as a flow document: a synchronous webhook trigger (`POST
 * /hooks/<flow>` with the workflow inputs as JSON body answers the workflow outputs), the steps
 * in order, and the outputs as the flow's `output`.
 */
export async function convertWorkflow(
  workflow: Json,
  pointer: string,
  name: string,
  context: WorkflowContext,
): Promise<Json> {
  const { issues } = context;
  for (const key of Object.keys(workflow)) {
    if (!WORKFLOW_FIELDS.has(key))
      issues.warn(appendPointer(pointer, key), `ignored: unknown workflow field "${key}"`);
  }
  if (workflow.inputs !== undefined) {
    issues.warn(
      appendPointer(pointer, 'inputs'),
      'not enforced: the flow reads the inputs from the trigger body but does not validate them against this schema',
    );
  }
  if (workflow.dependsOn !== undefined) {
    issues.warn(
      appendPointer(pointer, 'dependsOn'),
      'ignored: run the workflows it names first, or call them from a step (workflowId)',
    );
  }
  if (!Array.isArray(workflow.steps) || workflow.steps.length === 0)
    throw issues.invalid(appendPointer(pointer, 'steps'), 'a workflow needs at least one step');
  if (workflow.parameters !== undefined && !Array.isArray(workflow.parameters)) {
    throw issues.invalid(appendPointer(pointer, 'parameters'), 'must be an array');
  }
  const used = new Set<string>();
  const stepContext: StepContext = {
    issues,
    sources: context.sources,
    components: context.components,
    flowNames: context.flowNames,
    workflowParameters: ((workflow.parameters as unknown[] | undefined) ?? []).map((entry, index) => ({
      entry,
      pointer: appendPointer(appendPointer(pointer, 'parameters'), index),
    })),
    allocateId: (wanted) => allocate(wanted, used),
  };
  const converted: ConvertedStep[] = [];
  const steps: Json[] = [];
  const count = workflow.steps.length;
  for (const [index, step] of workflow.steps.entries()) {
    const at = appendPointer(appendPointer(pointer, 'steps'), index);
    if (!isJson(step)) throw issues.invalid(at, 'a step must be an object');
    const result = await convertStep(step, at, converted, stepContext, index === count - 1);
    converted.push(result.converted);
    steps.push(...result.flowSteps);
  }
  const retry = convertActions(
    workflow.failureActions,
    appendPointer(pointer, 'failureActions'),
    'failure',
    context.components,
    issues,
    true,
  );
  convertActions(
    workflow.successActions,
    appendPointer(pointer, 'successActions'),
    'success',
    context.components,
    issues,
    true,
  );

  const outputs = new Map<string, string>();
  if (workflow.outputs !== undefined) {
    if (!isJson(workflow.outputs))
      throw issues.invalid(
        appendPointer(pointer, 'outputs'),
        'must be a map of names to runtime expressions',
      );
    const scope = createScope(converted);
    for (const [key, expression] of Object.entries(workflow.outputs)) {
      const jsonata = attempt(appendPointer(appendPointer(pointer, 'outputs'), key), issues, () =>
        translateValue(expression, scope),
      );
      if (jsonata !== undefined) outputs.set(key, jsonata);
    }
  }
  const summary =
    typeof workflow.summary === 'string'
      ? workflow.summary
      : typeof workflow.description === 'string'
        ? workflow.description
        : undefined;
  return {
    name,
    ...(summary === undefined ? {} : { description: summary.trim().split('\n')[0] }),
    triggers: [{ type: 'webhook', path: name, mode: 'sync' }],
    ...(retry === undefined ? {} : { retry }),
    steps,
    output: objectExpression(outputs),
  };
}

/** A flow step id (letters, digits, underscores) for an Arazzo stepId, unique in the flow. */
function allocate(wanted: string, used: Set<string>): string {
  let base = wanted.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+/, '');
  if (!/^[A-Za-z]/.test(base)) base = `s_${base}`;
  base = base.slice(0, 56);
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
  used.add(id);
  return id;
}

/** The flow name for a workflowId: itself when it is lowercase-with-dashes, else made so. */
export function flowNameFor(workflowId: string): string {
  if (/^[a-z][a-z0-9-]{0,62}$/.test(workflowId)) return workflowId;
  let name = workflowId
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(name)) name = `flow-${name}`;
  return name.slice(0, 63).replace(/-+$/, '');
}
