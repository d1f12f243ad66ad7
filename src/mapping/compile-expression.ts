import jsonata from 'jsonata';
import { ConfluxError } from '../errors/index.ts';
import { compileDirect, type DirectEvaluation, INDIRECT } from './direct-evaluation.ts';
import { helpers } from './helpers/index.ts';
import { DEFAULT_LIMITS, type EvaluationLimits } from './limits.ts';
import { toPlain } from './to-plain.ts';

export interface CompiledExpression {
  readonly expression: string;
  /** Where the expression was written, e.g. `flows/place-order.yaml step "order"`. */
  readonly where: string;
  /** Evaluates against `input` (the `$` of the expression); `bindings` become `$name` variables. */
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
}

interface JsonataFailure {
  readonly code?: string;
  readonly position?: number;
  readonly token?: string;
  readonly message?: string;
}

interface Compiled {
  readonly jsonata: jsonata.Expression;
  /** The synchronous evaluation of the plain subset (direct-evaluation.ts), when the expression is in it. */
  readonly direct: DirectEvaluation | undefined;
}

const CACHE_LIMIT = 2000;
// Compiled expressions keyed by limits + text. An Expression is reusable across concurrent
// evaluations: each evaluate() runs in its own frame.
const cache = new Map<string, Compiled>();

/** A few characters either side of `position`, with a marker, so authors see the spot. */
function excerpt(expression: string, position: number | undefined): string | undefined {
  if (position === undefined || position < 0) return undefined;
  const start = Math.max(0, position - 20);
  const end = Math.min(expression.length, position + 20);
  return `${start > 0 ? '…' : ''}${expression.slice(start, position)}⟨here⟩${expression.slice(position, end)}${end < expression.length ? '…' : ''}`;
}

function failureOf(error: unknown): JsonataFailure {
  return typeof error === 'object' && error !== null ? (error as JsonataFailure) : { message: String(error) };
}

function build(expression: string, limits: EvaluationLimits): Compiled {
  const compiled = jsonata(expression, { timeout: limits.timeoutMs, stack: limits.maxDepth });
  for (const [name, implementation] of Object.entries(helpers)) {
    compiled.registerFunction(name, implementation as (...args: unknown[]) => unknown);
  }
  return { jsonata: compiled, direct: compileDirect(compiled.ast(), helpers) };
}

function compiledFor(expression: string, where: string, limits: EvaluationLimits): Compiled {
  const key = `${limits.timeoutMs}:${limits.maxDepth}:${expression}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    // Re-insert so the map's order is least-recently-used first.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  let compiled: Compiled;
  try {
    compiled = build(expression, limits);
  } catch (cause) {
    const failure = failureOf(cause);
    const position = failure.position;
    throw new ConfluxError(
      'MAPPING_COMPILE_FAILED',
      `${where}: the JSONata expression does not compile${position === undefined ? '' : ` at position ${position}`}: ${failure.message ?? 'syntax error'}`,
      {
        details: {
          where,
          position,
          token: failure.token,
          jsonataCode: failure.code,
          near: excerpt(expression, position),
        },
        cause,
      },
    );
  }
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, compiled);
  return compiled;
}

function evaluationError(
  cause: unknown,
  expression: string,
  where: string,
  limits: EvaluationLimits,
): ConfluxError {
  const failure = failureOf(cause);
  const position = failure.position;
  const at = position === undefined ? '' : ` at position ${position}`;
  const details = { where, position, jsonataCode: failure.code, near: excerpt(expression, position) };
  // The budgets exist for the author's expression, not the caller's data: report them as the
  // author's mistake (422), never as a server fault.
  if (failure.code === 'D1012') {
    return new ConfluxError(
      'MAPPING_EVALUATE_FAILED',
      `${where}: the expression ran longer than its ${limits.timeoutMs} ms budget${at}; look for an endless loop or recursion`,
      { details: { ...details, limit: 'timeoutMs', timeoutMs: limits.timeoutMs }, cause, status: 422 },
    );
  }
  if (failure.code === 'D1011' || cause instanceof RangeError) {
    return new ConfluxError(
      'MAPPING_EVALUATE_FAILED',
      `${where}: the expression nested deeper than ${limits.maxDepth} levels${at}; look for a recursion that never ends`,
      { details: { ...details, limit: 'maxDepth', maxDepth: limits.maxDepth }, cause, status: 422 },
    );
  }
  return new ConfluxError(
    'MAPPING_EVALUATE_FAILED',
    `${where}: the expression failed${at}: ${failure.message ?? 'unknown error'}`,
    { details, cause },
  );
}

/**
 * Compiles a JSONata expression with the helper functions and evaluation budgets. Throws
 * MAPPING_COMPILE_FAILED naming `where` and the position; evaluate() rejects with
 * MAPPING_EVALUATE_FAILED. Compiled expressions are cached by text.
 */
export function compileExpression(
  expression: string,
  where: string,
  limits: EvaluationLimits = DEFAULT_LIMITS,
): CompiledExpression {
  const { jsonata: compiled, direct } = compiledFor(expression, where, limits);
  return {
    expression,
    where,
    async evaluate(input, bindings) {
      if (direct !== undefined) {
        const value = direct(input, bindings);
        if (value !== INDIRECT) return toPlain(value);
      }
      try {
        return toPlain(await compiled.evaluate(input, bindings));
      } catch (cause) {
        throw evaluationError(cause, expression, where, limits);
      }
    },
  };
}
