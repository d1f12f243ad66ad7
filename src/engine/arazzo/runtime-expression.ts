import { fieldStep, pointerPath, pointerTokens } from './json-path.ts';

/**
 * Arazzo runtime expressions (`$inputs.x`, `$steps.s.outputs.y`, `$response.body#/id`, ...) as
 * JSONata over the flow's run context `{ trigger, steps }`. The imported flow is started with
 * the workflow inputs as its trigger body, and a call step's output is `{ status, headers, body }`,
 * so every supported expression is a path into that context.
 */
export interface ExpressionScope {
  /** Flow step id whose answer `$response.*` and `$statusCode` mean (step outputs, successCriteria). */
  readonly response?: string;
  /** Flow step id of a workflow step whose child-run output `$outputs.*` means (its step outputs). */
  readonly childOutputs?: string;
  /** JSONata of output `name` of an earlier step (`$steps.<step>.outputs.<name>`), or why not. */
  stepOutput(step: string, name: string | undefined): string;
  /** JSONata of output `name` of a workflow called by an earlier step (`$workflows.<id>.outputs.<name>`). */
  workflowOutput(workflowId: string, name: string): string;
}

/**
 * Why an expression could not be translated. `invalid` means the document is wrong (a reference
 * to a step that does not exist): the import fails. Otherwise Conflux cannot express it: the
 * construct is left out with a warning.
 */
export class ExpressionProblem extends Error {
  constructor(
    message: string,
    readonly invalid: boolean,
  ) {
    super(message);
  }
}

const SOURCE = /^\$(request|response)\.(header|query|path)\.([^\s#]+)$/;
const BODY = /^\$(request|response)\.body(#.*)?$/;
const INPUTS = /^\$inputs\.([^#]+)(#.*)?$/;
const STEPS = /^\$steps\.([^.#]+)\.outputs(?:\.([^.#]+))?((?:\.[^.#]+)*)(#.*)?$/;
const WORKFLOWS = /^\$workflows\.([^.#]+)\.outputs\.([^.#]+)((?:\.[^.#]+)*)(#.*)?$/;
const OUTPUTS = /^\$outputs\.([^.#]+)((?:\.[^.#]+)*)(#.*)?$/;

/** Translates one whole runtime expression (the string starts with `$`). */
export function translateExpression(expression: string, scope: ExpressionScope): string {
  const text = expression.trim();
  if (text === '$statusCode') return `${responseOf(scope, text)}.status`;
  if (text === '$url' || text === '$method') {
    throw new ExpressionProblem(
      `${text} (the request's URL or method) is not available to later expressions`,
      false,
    );
  }
  const source = SOURCE.exec(text);
  if (source !== null) {
    const [, side, kind, name = ''] = source;
    if (side === 'request') throw requestUnsupported(text);
    if (kind !== 'header') {
      throw new ExpressionProblem(`${text}: a response has no ${kind} parameters`, true);
    }
    return `${responseOf(scope, text)}.headers.${fieldStep(name.toLowerCase())}`;
  }
  const body = BODY.exec(text);
  if (body !== null) {
    if (body[1] === 'request') throw requestUnsupported(text);
    return `${responseOf(scope, text)}.body${pointer(body[2], text)}`;
  }
  const inputs = INPUTS.exec(text);
  if (inputs !== null) {
    const names = (inputs[1] ?? '').split('.');
    return `trigger.body${names.map((name) => `.${fieldStep(name)}`).join('')}${pointer(inputs[2], text)}`;
  }
  const steps = STEPS.exec(text);
  if (steps !== null) {
    const [, step = '', name, more = '', hash] = steps;
    return `(${scope.stepOutput(step, name)})${dotted(more)}${pointer(hash, text)}`;
  }
  const workflows = WORKFLOWS.exec(text);
  if (workflows !== null) {
    const [, workflow = '', name = '', more = '', hash] = workflows;
    return `(${scope.workflowOutput(workflow, name)})${dotted(more)}${pointer(hash, text)}`;
  }
  const outputs = OUTPUTS.exec(text);
  if (outputs !== null && scope.childOutputs !== undefined) {
    const [, name = '', more = '', hash] = outputs;
    return `steps.${scope.childOutputs}.${fieldStep(name)}${dotted(more)}${pointer(hash, text)}`;
  }
  throw new ExpressionProblem(
    `${text} is not a runtime expression Conflux can translate (supported: $inputs, $steps.<id>.outputs, $workflows.<id>.outputs, $response.body/header, $statusCode)`,
    false,
  );
}

/** True when the whole string is one runtime expression rather than a literal. */
export function isRuntimeExpression(value: unknown): boolean {
  return typeof value === 'string' && /^\$[A-Za-z]/.test(value.trim()) && !/\s/.test(value.trim());
}

/**
 * A string value as JSONata: a whole runtime expression, a literal, or a template with embedded
 * `{$...}` expressions (joined with `&`; JSONata's `&` turns each part into a string).
 */
export function translateValueString(value: string, scope: ExpressionScope): string {
  if (isRuntimeExpression(value)) return translateExpression(value, scope);
  const parts: string[] = [];
  let rest = value;
  for (let match = /\{(\$[^{}]+)\}/.exec(rest); match !== null; match = /\{(\$[^{}]+)\}/.exec(rest)) {
    if (match.index > 0) parts.push(JSON.stringify(rest.slice(0, match.index)));
    parts.push(`$string(${translateExpression(match[1] ?? '', scope)})`);
    rest = rest.slice(match.index + match[0].length);
  }
  if (parts.length === 0) return JSON.stringify(value);
  if (rest !== '') parts.push(JSON.stringify(rest));
  return parts.join(' & ');
}

function responseOf(scope: ExpressionScope, text: string): string {
  if (scope.response === undefined) {
    throw new ExpressionProblem(
      `${text} refers to a response, but is used before any call (only step outputs and successCriteria can read it)`,
      true,
    );
  }
  return `steps.${scope.response}`;
}

function requestUnsupported(text: string): ExpressionProblem {
  return new ExpressionProblem(
    `${text}: the request a step sent is not available to expressions in Conflux flows`,
    false,
  );
}

function dotted(more: string): string {
  return more === ''
    ? ''
    : more
        .slice(1)
        .split('.')
        .map((name) => `.${fieldStep(name)}`)
        .join('');
}

function pointer(hash: string | undefined, text: string): string {
  if (hash === undefined) return '';
  try {
    return pointerPath(pointerTokens(hash.slice(1)));
  } catch (error) {
    throw new ExpressionProblem(`${text}: ${(error as Error).message}`, true);
  }
}
