import { convertActions } from './actions.ts';
import { translateCondition, translateRegexCondition } from './condition.ts';
import { appendPointer } from './json-path.ts';
import { isJsonMediaType } from './media-type.ts';
import { objectExpression, replaceInPayload, translateValue } from './payload.ts';
import type { SourceIndex } from './sources.ts';
import { attempt, type ConvertedStep, createScope } from './step-scope.ts';
import { type ConvertIssues, isJson, type Json } from './types.ts';

const STEP_FIELDS = new Set([
  'stepId',
  'description',
  'operationId',
  'operationPath',
  'workflowId',
  'parameters',
  'requestBody',
  'successCriteria',
  'onSuccess',
  'onFailure',
  'outputs',
]);

export interface StepContext {
  readonly issues: ConvertIssues;
  readonly sources: SourceIndex;
  readonly components: Json;
  /** Workflow parameters, applied to every operation step (a step's own parameter wins). */
  readonly workflowParameters: readonly { readonly entry: unknown; readonly pointer: string }[];
  /** Flow name of each workflow of the document, for workflow steps. */
  readonly flowNames: ReadonlyMap<string, string>;
  /** Gives a unique flow step id for a wanted one. */
  allocateId(wanted: string): string;
}

/**
 * One Arazzo step as flow steps: a `call` (operation steps) or a `subflow` (steps that run a
 * workflow of the same document), followed by a `branch` that fails the run when the step's
 * successCriteria do not hold.
 */
export async function convertStep(
  step: Json,
  pointer: string,
  earlier: readonly ConvertedStep[],
  context: StepContext,
  isLastStep: boolean,
): Promise<{ converted: ConvertedStep; flowSteps: Json[] }> {
  const { issues } = context;
  if (typeof step.stepId !== 'string' || step.stepId === '')
    throw issues.invalid(pointer, 'a step needs a stepId');
  if (earlier.some((other) => other.stepId === step.stepId)) {
    throw issues.invalid(
      appendPointer(pointer, 'stepId'),
      `stepId "${step.stepId}" is used twice in this workflow`,
    );
  }
  for (const key of Object.keys(step)) {
    if (!STEP_FIELDS.has(key))
      issues.warn(appendPointer(pointer, key), `ignored: unknown step field "${key}"`);
  }
  const flowId = context.allocateId(step.stepId);
  const scope = createScope(earlier);
  const description =
    typeof step.description === 'string' ? { description: firstLine(step.description) } : {};
  let main: Json;
  let workflowId: string | undefined;
  if (step.workflowId !== undefined) {
    workflowId = String(step.workflowId);
    const flow = context.flowNames.get(workflowId);
    if (flow === undefined) {
      throw issues.invalid(
        appendPointer(pointer, 'workflowId'),
        `"${workflowId}" is not a workflow of this document (workflows of other Arazzo documents cannot be imported)`,
      );
    }
    const inputs = new Map<string, string>();
    for (const { name, value, at } of parameters(step, pointer, context)) {
      const jsonata = attempt(appendPointer(at, 'value'), issues, () => translateValue(value, scope));
      if (jsonata !== undefined) inputs.set(name, jsonata);
    }
    if (step.requestBody !== undefined)
      issues.warn(
        appendPointer(pointer, 'requestBody'),
        'ignored: a workflow step takes parameters, not a request body',
      );
    main = {
      id: flowId,
      type: 'subflow',
      ...description,
      flow,
      input: `{"body": ${objectExpression(inputs)}}`,
    };
  } else {
    const { system, operation } = await context.sources.operation(step, pointer);
    const members = new Map<string, string>();
    for (const { name, in: location, value, at } of parameters(step, pointer, context)) {
      const declared = operation.parameters.find(
        (p) => p.name === name && (location === undefined || p.in === location),
      );
      if (declared === undefined) {
        issues.warn(
          at,
          `left out: ${system}.${operation.id} has no ${location ?? ''} parameter "${name}"`.replace(
            '  ',
            ' ',
          ),
        );
        continue;
      }
      const jsonata = attempt(appendPointer(at, 'value'), issues, () => translateValue(value, scope));
      if (jsonata !== undefined) members.set(name, jsonata);
    }
    const body = requestBody(step.requestBody, appendPointer(pointer, 'requestBody'), context, scope);
    if (body !== undefined) members.set('body', body);
    main = { id: flowId, type: 'call', ...description, system, operation: operation.id };
    if (members.size > 0) main.input = objectExpression(members);
  }

  const retry = convertActions(
    step.onFailure,
    appendPointer(pointer, 'onFailure'),
    'failure',
    context.components,
    issues,
    isLastStep,
  );
  convertActions(
    step.onSuccess,
    appendPointer(pointer, 'onSuccess'),
    'success',
    context.components,
    issues,
    isLastStep,
  );
  if (retry !== undefined) {
    if (main.type === 'call') main.retry = retry;
    else
      issues.warn(
        appendPointer(pointer, 'onFailure'),
        'ignored: a workflow step is not retried (its own steps are)',
      );
  }

  const own = workflowId === undefined ? { response: flowId } : { childOutputs: flowId };
  const ownScope = createScope(earlier, own);
  const converted: ConvertedStep = {
    stepId: step.stepId,
    flowId,
    outputs: new Map(),
    omitted: new Set(),
    ...(workflowId === undefined ? {} : { workflowId }),
  };
  if (step.outputs !== undefined) {
    if (!isJson(step.outputs))
      throw issues.invalid(
        appendPointer(pointer, 'outputs'),
        'must be a map of names to runtime expressions',
      );
    for (const [name, expression] of Object.entries(step.outputs)) {
      const at = appendPointer(appendPointer(pointer, 'outputs'), name);
      const jsonata = attempt(at, issues, () => translateValue(expression, ownScope));
      if (jsonata === undefined) converted.omitted.add(name);
      else converted.outputs.set(name, jsonata);
    }
  }

  const flowSteps: Json[] = [main];
  const check = criteria(step.successCriteria, appendPointer(pointer, 'successCriteria'), issues, ownScope);
  if (check !== undefined) {
    flowSteps.push({
      id: context.allocateId(`${step.stepId}_check`),
      type: 'branch',
      description: `successCriteria of step ${step.stepId}`,
      if: `$not(${check.expression})`,
      // biome-ignore lint/suspicious/noThenProperty: the branch step's YAML field, never a promise
      then: [
        {
          id: context.allocateId(`${step.stepId}_unmet`),
          type: 'fail',
          code: 'ARAZZO_CRITERIA_UNMET',
          message: `Step ${step.stepId} did not meet its successCriteria: ${check.conditions.join(' && ')}`,
        },
      ],
    });
  }
  return { converted, flowSteps };
}

interface Parameter {
  readonly name: string;
  readonly in?: string;
  readonly value: unknown;
  readonly at: string;
}

/** Workflow then step parameters (a step's parameter replaces one of the same name and place). */
function parameters(step: Json, pointer: string, context: StepContext): Parameter[] {
  const own = Array.isArray(step.parameters)
    ? step.parameters.map((entry, index) => ({
        entry,
        pointer: appendPointer(appendPointer(pointer, 'parameters'), index),
      }))
    : [];
  if (step.parameters !== undefined && !Array.isArray(step.parameters)) {
    throw context.issues.invalid(appendPointer(pointer, 'parameters'), 'must be an array');
  }
  const merged = new Map<string, Parameter>();
  const inherited = step.workflowId === undefined ? context.workflowParameters : [];
  for (const { entry, pointer: at } of [...inherited, ...own]) {
    const parameter = resolveParameter(entry, at, context);
    merged.set(`${parameter.in ?? ''}:${parameter.name}`, parameter);
  }
  return [...merged.values()];
}

function resolveParameter(entry: unknown, at: string, context: StepContext): Parameter {
  if (!isJson(entry)) throw context.issues.invalid(at, 'a parameter must be an object { name, in, value }');
  let parameter = entry;
  if (typeof entry.reference === 'string') {
    const match = /^\$components\.parameters\.(.+)$/.exec(entry.reference);
    const shared = isJson(context.components.parameters) ? context.components.parameters : {};
    const target = match === null ? undefined : shared[match[1] ?? ''];
    if (!isJson(target))
      throw context.issues.invalid(
        appendPointer(at, 'reference'),
        `"${entry.reference}" names no parameter in components.parameters`,
      );
    parameter = entry.value === undefined ? target : { ...target, value: entry.value };
  }
  if (typeof parameter.name !== 'string') throw context.issues.invalid(at, 'a parameter needs a name');
  if (!('value' in parameter))
    throw context.issues.invalid(at, `parameter "${parameter.name}" needs a value`);
  return {
    name: parameter.name,
    ...(typeof parameter.in === 'string' ? { in: parameter.in } : {}),
    value: parameter.value,
    at,
  };
}

function requestBody(
  entry: unknown,
  pointer: string,
  context: StepContext,
  scope: ReturnType<typeof createScope>,
): string | undefined {
  if (entry === undefined) return undefined;
  const { issues } = context;
  if (!isJson(entry))
    throw issues.invalid(pointer, 'must be an object { contentType, payload, replacements }');
  if (typeof entry.contentType === 'string' && !isJsonMediaType(entry.contentType)) {
    issues.warn(
      appendPointer(pointer, 'contentType'),
      `"${entry.contentType}" is not sent as such: the call uses the operation's media type (JSON bodies are built here)`,
    );
  }
  let payload = entry.payload;
  if (entry.replacements !== undefined) {
    if (!Array.isArray(entry.replacements))
      throw issues.invalid(appendPointer(pointer, 'replacements'), 'must be an array of { target, value }');
    entry.replacements.forEach((replacement, index) => {
      const at = appendPointer(appendPointer(pointer, 'replacements'), index);
      if (!isJson(replacement) || typeof replacement.target !== 'string')
        throw issues.invalid(at, 'a replacement needs a target (a JSON pointer) and a value');
      const target = replacement.target;
      attempt(at, issues, () => {
        payload = replaceInPayload(payload, target, replacement.value, scope);
        return '';
      });
    });
  }
  return attempt(appendPointer(pointer, 'payload'), issues, () => translateValue(payload, scope));
}

function criteria(
  entry: unknown,
  pointer: string,
  issues: ConvertIssues,
  scope: ReturnType<typeof createScope>,
): { expression: string; conditions: string[] } | undefined {
  if (entry === undefined) return undefined;
  if (!Array.isArray(entry)) throw issues.invalid(pointer, 'must be an array of criteria');
  const parts: string[] = [];
  const conditions: string[] = [];
  entry.forEach((criterion, index) => {
    const at = appendPointer(pointer, index);
    if (!isJson(criterion) || typeof criterion.condition !== 'string')
      throw issues.invalid(at, 'a criterion needs a condition');
    const condition = criterion.condition;
    const type = criterion.type ?? 'simple';
    let jsonata: string | undefined;
    if (type === 'simple') {
      jsonata = attempt(appendPointer(at, 'condition'), issues, () => translateCondition(condition, scope));
    } else if (type === 'regex') {
      if (typeof criterion.context !== 'string')
        throw issues.invalid(at, 'a regex criterion needs a context');
      const context = criterion.context;
      jsonata = attempt(at, issues, () => translateRegexCondition(context, condition, scope));
    } else {
      issues.warn(
        appendPointer(at, 'type'),
        `left out: ${JSON.stringify(type)} criteria are not supported (simple and regex are)`,
      );
    }
    if (jsonata === undefined) return;
    parts.push(`(${jsonata})`);
    conditions.push(type === 'regex' ? `${String(criterion.context)} matches /${condition}/` : condition);
  });
  return parts.length === 0 ? undefined : { expression: parts.join(' and '), conditions };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
