import { helperError, show } from './helper-error.ts';

// Zero-width characters and the byte-order mark survive a trim and break equality checks.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
// C0 and C1 control characters (tabs and newlines were turned into spaces before this runs).
const CONTROL = /\p{Cc}/gu;
const WHITESPACE = /[\s\u00A0\u2007\u202F]+/g;

/** `$clean(s)`: trims, collapses runs of whitespace to one space, strips control characters. */
export function clean(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw helperError('clean', `expected a string, got ${show(value)}`);
  return value
    .replace(WHITESPACE, ' ')
    .replace(CONTROL, '')
    .replace(INVISIBLE, '')
    .replace(WHITESPACE, ' ')
    .trim();
}
