import type jsonata from 'jsonata';
import { finiteNumber, giveUp, ONE_ARGUMENT_BUILTINS, scalar, text, truthy } from './direct-values.ts';

/**
 * A synchronous evaluator for the JSONata that integrations write most: field paths over objects,
 * object constructors, string concatenation, arithmetic, comparisons, conditions, and calls to the
 * helper functions and a few one-argument built-ins.
 *
 * Why: JSONata 2 evaluates every node of the tree through an async function. For a five-field
 * mapping that is hundreds of promises, and on the engine's hot path (map → call → respond) it
 * was half of all memory a run allocated, and as much of the garbage collector's work.
 *
 * It agrees with JSONata by construction rather than by reimplementation: it compiles only the
 * node types and node properties listed here (anything else — filters, predicates, grouping,
 * lambdas, bindings with `:=`, other built-ins — leaves the whole expression to JSONata), and at
 * evaluation time it gives up whenever a value leaves the plain cases it handles: an array in
 * the middle of a path (JSONata maps over it), a number JSONata would format, a value JSONata
 * would reject with an error, a helper that throws. The caller then evaluates the expression
 * with JSONata, which answers or fails exactly as it always did. Evaluation is pure, so running
 * it twice on the slow path changes nothing.
 */

/** What a direct evaluation answers when JSONata has to evaluate the expression instead. */
export const INDIRECT: unique symbol = Symbol('indirect');

type Bindings = Readonly<Record<string, unknown>> | undefined;
export type DirectEvaluation = (input: unknown, bindings: Bindings) => unknown;
type Evaluate = (input: unknown, bindings: Bindings) => unknown;
type Helper = (...args: never[]) => unknown;
// jsonata's ExprNode type leaves out some kinds the parser produces ('path'); read nodes loosely.
type Node = { readonly type: string; readonly value?: unknown } & Readonly<Record<string, unknown>>;

// The properties a node of each kind may carry; any other one (predicate, stages, group, focus,
// keepArray, tuple...) changes its meaning, and the expression goes to JSONata.
const BASE = ['type', 'value', 'position'];
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  string: BASE,
  number: BASE,
  value: BASE,
  name: BASE,
  variable: BASE,
  path: ['type', 'steps'],
  block: ['type', 'position', 'expressions'],
  binary: [...BASE, 'lhs', 'rhs'],
  unary: [...BASE, 'lhs', 'expression'],
  condition: ['type', 'position', 'condition', 'then', 'else'],
  function: [...BASE, 'arguments', 'procedure'],
};

function plainNode(node: Node): boolean {
  const allowed = ALLOWED[node.type];
  // A property set to undefined (the parser leaves `name: undefined` on calls) is not there.
  return (
    allowed !== undefined &&
    Object.keys(node).every((key) => allowed.includes(key) || node[key] === undefined)
  );
}

class Compiler {
  constructor(private readonly helpers: Readonly<Record<string, Helper>>) {}

  node(node: Node): Evaluate | undefined {
    if (!plainNode(node)) return undefined;
    switch (node.type) {
      case 'string':
      case 'number':
      case 'value': {
        const value = node.value;
        return () => value;
      }
      case 'variable':
        return this.variable(String(node.value));
      case 'path':
        return this.path(node.steps as Node[]);
      case 'block':
        return this.block(node.expressions as Node[]);
      case 'binary':
        return this.binary(String(node.value), node.lhs as Node, node.rhs as Node);
      case 'unary':
        return node.value === '{'
          ? this.object(node.lhs as unknown as [Node, Node][])
          : node.value === '-'
            ? this.negate(node.expression as Node)
            : undefined;
      case 'condition':
        return this.condition(node.condition as Node, node.then as Node, node.else as Node | undefined);
      case 'function':
        return this.call(node.procedure as Node, node.arguments as Node[]);
      default:
        return undefined;
    }
  }

  /** `$` is the input; `$name` a binding given to this evaluation. `$$` and functions go to JSONata. */
  private variable(name: string): Evaluate | undefined {
    if (name === '') return (input) => input;
    if (name === '$') return undefined;
    return (_input, bindings) => {
      if (bindings === undefined || !Object.hasOwn(bindings, name)) return giveUp();
      const value = bindings[name];
      return typeof value === 'function' ? giveUp() : value;
    };
  }

  /**
   * A path of field names, optionally starting at `$` or a binding. Over objects JSONata's path
   * is a chain of lookups; an array before the last step makes it a mapping, so give up there.
   * An array at the end is answered as it is, as JSONata does.
   */
  private path(steps: Node[]): Evaluate | undefined {
    if (steps.length === 0 || !steps.every(plainNode)) return undefined;
    const [first] = steps;
    let start: Evaluate = (input) => input;
    let names = steps;
    if (first?.type === 'variable') {
      const variable = this.variable(String(first.value));
      if (variable === undefined) return undefined;
      start = variable;
      names = steps.slice(1);
    }
    if (!names.every((step) => step.type === 'name')) return undefined;
    const keys = names.map((step) => String(step.value));
    return (input, bindings) => {
      let value = start(input, bindings);
      for (const key of keys) {
        if (Array.isArray(value)) return giveUp();
        if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
        value = (value as Record<string, unknown>)[key];
        if (value === undefined) return undefined;
      }
      return typeof value === 'function' ? giveUp() : value;
    };
  }

  private block(expressions: Node[]): Evaluate | undefined {
    const parts = this.all(expressions);
    if (parts === undefined || parts.length === 0) return undefined;
    return (input, bindings) => {
      let result: unknown;
      for (const part of parts) result = part(input, bindings);
      return result;
    };
  }

  private binary(operator: string, lhsNode: Node, rhsNode: Node): Evaluate | undefined {
    const lhs = this.node(lhsNode);
    const rhs = this.node(rhsNode);
    if (lhs === undefined || rhs === undefined) return undefined;
    switch (operator) {
      case '&':
        return (input, bindings) => {
          const left = lhs(input, bindings);
          const right = rhs(input, bindings);
          return (left === undefined ? '' : text(left)) + (right === undefined ? '' : text(right));
        };
      case 'and':
        return (input, bindings) => truthy(lhs(input, bindings)) && truthy(rhs(input, bindings));
      case 'or':
        return (input, bindings) => truthy(lhs(input, bindings)) || truthy(rhs(input, bindings));
      case '=':
      case '!=':
        return (input, bindings) => {
          const left = lhs(input, bindings);
          const right = rhs(input, bindings);
          if (left === undefined || right === undefined) return false;
          // Objects and arrays compare deeply in JSONata.
          if (!scalar(left) || !scalar(right)) return giveUp();
          return operator === '=' ? left === right : left !== right;
        };
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.comparison(operator, lhs, rhs);
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return this.arithmetic(operator, lhs, rhs);
      default:
        return undefined;
    }
  }

  private comparison(operator: string, lhs: Evaluate, rhs: Evaluate): Evaluate {
    return (input, bindings) => {
      const left = lhs(input, bindings);
      const right = rhs(input, bindings);
      const leftType = typeof left;
      const rightType = typeof right;
      if (leftType !== 'undefined' && leftType !== 'string' && leftType !== 'number') return giveUp();
      if (rightType !== 'undefined' && rightType !== 'string' && rightType !== 'number') return giveUp();
      if (left === undefined || right === undefined) return undefined;
      if (leftType !== rightType) return giveUp();
      const a = left as string | number;
      const b = right as string | number;
      return operator === '<' ? a < b : operator === '<=' ? a <= b : operator === '>' ? a > b : a >= b;
    };
  }

  private arithmetic(operator: string, lhs: Evaluate, rhs: Evaluate): Evaluate {
    return (input, bindings) => {
      const left = finiteNumber(lhs(input, bindings));
      const right = finiteNumber(rhs(input, bindings));
      if (left === undefined || right === undefined) return undefined;
      const result =
        operator === '+'
          ? left + right
          : operator === '-'
            ? left - right
            : operator === '*'
              ? left * right
              : operator === '/'
                ? left / right
                : left % right;
      return Number.isFinite(result) ? result : giveUp();
    };
  }

  private negate(expression: Node): Evaluate | undefined {
    const operand = this.node(expression);
    if (operand === undefined) return undefined;
    return (input, bindings) => {
      const value = finiteNumber(operand(input, bindings));
      return value === undefined ? undefined : -value;
    };
  }

  /**
   * `{"key": value, ...}` over one input: keys must be strings (or missing, which drops the
   * pair), a missing value drops its key. Two pairs with the same key are JSONata's error D1009.
   */
  private object(pairs: [Node, Node][]): Evaluate | undefined {
    const compiled: [Evaluate, Evaluate][] = [];
    for (const [keyNode, valueNode] of pairs) {
      const key = this.node(keyNode);
      const value = this.node(valueNode);
      if (key === undefined || value === undefined) return undefined;
      compiled.push([key, value]);
    }
    return (input, bindings) => {
      const result: Record<string, unknown> = Object.create(null);
      const seen: string[] = [];
      for (const [key, value] of compiled) {
        const name = key(input, bindings);
        if (name === undefined) continue;
        if (typeof name !== 'string' || name === '_jsonata_lambda' || name === '_jsonata_function')
          return giveUp();
        if (seen.includes(name)) return giveUp();
        seen.push(name);
        const item = value(input, bindings);
        if (item !== undefined) result[name] = item;
      }
      return result;
    };
  }

  private condition(test: Node, then: Node, otherwise: Node | undefined): Evaluate | undefined {
    const check = this.node(test);
    const yes = this.node(then);
    const no = otherwise === undefined ? () => undefined : this.node(otherwise);
    if (check === undefined || yes === undefined || no === undefined) return undefined;
    return (input, bindings) => (truthy(check(input, bindings)) ? yes(input, bindings) : no(input, bindings));
  }

  /**
   * `$helper(...)` calls the helper as JSONata does (registered without a signature: arguments
   * as evaluated); `$lowercase`, `$uppercase`, `$trim`, `$string`, `$exists` and `$count` with
   * one argument. A binding of the same name would shadow the function: give up then.
   */
  private call(procedure: Node, argumentNodes: Node[]): Evaluate | undefined {
    if (!plainNode(procedure) || procedure.type !== 'variable') return undefined;
    const name = String(procedure.value);
    const args = this.all(argumentNodes);
    if (args === undefined) return undefined;
    const shadowed = (bindings: Bindings) => bindings !== undefined && Object.hasOwn(bindings, name);
    if (Object.hasOwn(this.helpers, name)) {
      const helper = this.helpers[name] as (...values: unknown[]) => unknown;
      return (input, bindings) => {
        if (shadowed(bindings)) return giveUp();
        const values = args.map((argument) => argument(input, bindings));
        const result = helper(...values);
        return typeof result === 'function' || result instanceof Promise ? giveUp() : result;
      };
    }
    const builtin = Object.hasOwn(ONE_ARGUMENT_BUILTINS, name) ? ONE_ARGUMENT_BUILTINS[name] : undefined;
    const [argument] = args;
    if (builtin === undefined || argument === undefined || args.length !== 1) return undefined;
    return (input, bindings) => (shadowed(bindings) ? giveUp() : builtin(argument(input, bindings)));
  }

  private all(nodes: Node[]): Evaluate[] | undefined {
    const compiled: Evaluate[] = [];
    for (const node of nodes) {
      const evaluate = this.node(node);
      if (evaluate === undefined) return undefined;
      compiled.push(evaluate);
    }
    return compiled;
  }
}

/**
 * The direct evaluation of a JSONata expression tree, or undefined when the expression uses
 * anything outside the subset. The evaluation answers INDIRECT whenever JSONata must decide.
 */
export function compileDirect(
  ast: jsonata.ExprNode,
  helpers: Readonly<Record<string, Helper>>,
): DirectEvaluation | undefined {
  const evaluate = new Compiler(helpers).node(ast as unknown as Node);
  if (evaluate === undefined) return undefined;
  return (input, bindings) => {
    // JSONata maps a path over an array input; leave that to it.
    if (Array.isArray(input)) return INDIRECT;
    try {
      return evaluate(input, bindings);
    } catch {
      // GIVE_UP, or a helper's own error: JSONata evaluates again and reports it as it always has.
      return INDIRECT;
    }
  };
}
