/**
 * JSONata's value rules for the plain cases the direct evaluator handles (direct-evaluation.ts):
 * its effective boolean, its `$string` of a scalar, its number checks, its one-argument
 * built-ins. Outside those cases each rule gives up, and JSONata itself decides.
 */

/** Thrown inside an evaluation to give up; caught once at the top. Not an Error: no stack to capture. */
const GIVE_UP = { giveUp: true } as const;

export function giveUp(): never {
  throw GIVE_UP;
}

/** JSONata's effective boolean value, for the values this evaluator passes on. */
export function truthy(value: unknown): boolean {
  switch (typeof value) {
    case 'undefined':
      return false;
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0;
    case 'object':
      if (value === null) return false;
      // JSONata looks inside arrays (a singleton array is as true as its item).
      if (Array.isArray(value)) return giveUp();
      return Object.keys(value).length > 0;
    default:
      return giveUp();
  }
}

/** `$string` of a scalar as JSONata writes it (numbers to 15 significant digits). */
export function text(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) return giveUp();
      return String(Number.isInteger(value) ? value : Number(value.toPrecision(15)));
    case 'boolean':
      return String(value);
    case 'object':
      return value === null ? 'null' : giveUp();
    default:
      return giveUp();
  }
}

export function finiteNumber(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : giveUp();
}

export function scalar(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/** A JSONata string built-in (signature <s-:s>): a missing value stays missing, a non-string is JSONata's to refuse. */
function onString(apply: (value: string) => string): (value: unknown) => unknown {
  return (value) => (value === undefined ? undefined : typeof value === 'string' ? apply(value) : giveUp());
}

/** JSONata built-ins called with exactly one argument, for the values this evaluator passes on. */
export const ONE_ARGUMENT_BUILTINS: Readonly<Record<string, (value: unknown) => unknown>> = {
  lowercase: onString((value) => value.toLowerCase()),
  uppercase: onString((value) => value.toUpperCase()),
  trim: onString((value) => {
    let result = value.replace(/[ \t\n\r]+/gm, ' ');
    if (result.startsWith(' ')) result = result.substring(1);
    if (result.endsWith(' ')) result = result.substring(0, result.length - 1);
    return result;
  }),
  string: (value) => (value === undefined ? undefined : text(value)),
  exists: (value) => value !== undefined,
  // A single value counts as a sequence of one; the argument itself is not flattened.
  count: (value) => (value === undefined ? 0 : Array.isArray(value) ? value.length : 1),
};
