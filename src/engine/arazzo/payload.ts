import { pointerTokens } from './json-path.ts';
import { ExpressionProblem, type ExpressionScope, translateValueString } from './runtime-expression.ts';

/** A value already translated to JSONata (a replacement put into a payload). */
class Translated {
  constructor(readonly jsonata: string) {}
}

/**
 * A parameter value or request payload as one JSONata expression: objects and arrays are
 * rebuilt member by member, strings may be or embed runtime expressions, other values are
 * literals. JSON is JSONata, so literal parts keep their exact value.
 */
export function translateValue(value: unknown, scope: ExpressionScope): string {
  if (value instanceof Translated) return value.jsonata;
  if (typeof value === 'string') return translateValueString(value, scope);
  if (Array.isArray(value)) return `[${value.map((item) => translateValue(item, scope)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value).map(
      ([key, item]) => `${JSON.stringify(key)}: ${translateValue(item, scope)}`,
    );
    return `{${members.join(', ')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Applies an Arazzo payload replacement: the value at `target` (a JSON pointer into the payload)
 * becomes the translated `value`. Returns a new payload; a target whose parent is missing is
 * the document's mistake (an invalid ExpressionProblem).
 */
export function replaceInPayload(
  payload: unknown,
  target: string,
  value: unknown,
  scope: ExpressionScope,
): unknown {
  let tokens: string[];
  try {
    tokens = pointerTokens(target);
  } catch (error) {
    throw new ExpressionProblem(`target: ${(error as Error).message}`, true);
  }
  const replacement = new Translated(translateValue(value, scope));
  if (tokens.length === 0) return replacement;
  const copy = structuredCloneKeeping(payload);
  let node: unknown = copy;
  for (const token of tokens.slice(0, -1)) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[token] : undefined;
  }
  const last = tokens.at(-1) ?? '';
  if (typeof node !== 'object' || node === null) {
    throw new ExpressionProblem(
      `target ${target}: the payload has no object or array at ${target.slice(0, target.lastIndexOf('/')) || '/'}`,
      true,
    );
  }
  (node as Record<string, unknown>)[Array.isArray(node) && last === '-' ? String(node.length) : last] =
    replacement;
  return copy;
}

/** A deep copy that keeps Translated nodes (structuredClone would turn them into plain objects). */
function structuredCloneKeeping(value: unknown): unknown {
  if (value instanceof Translated || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(structuredCloneKeeping);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, structuredCloneKeeping(item)]));
}

/** `{ "a": x, "b": y }` from translated members; the keys are parameter names. */
export function objectExpression(members: ReadonlyMap<string, string>): string {
  return `{${[...members].map(([key, jsonata]) => `${JSON.stringify(key)}: ${jsonata}`).join(', ')}}`;
}
