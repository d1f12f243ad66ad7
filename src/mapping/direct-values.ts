/**
 * JSONata's value rules for the plain cases the direct evaluator handles (direct-evaluation.ts):
 * its effective boolean, its `$string` of a scalar, its number checks, its one-argument string
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

// JSONata built-ins with one string argument (signature <s-:s>): a missing value stays missing.
export const STRING_BUILTINS: Readonly<Record<string, (value: string) => string>> = {
  lowercase: (value) => value.toLowerCase(),
  uppercase: (value) => value.toUpperCase(),
  trim: (value) => {
    let result = value.replace(/[ \t\n\r]+/gm, ' ');
    if (result.startsWith(' ')) result = result.substring(1);
    if (result.endsWith(' ')) result = result.substring(0, result.length - 1);
    return result;
  },
};
