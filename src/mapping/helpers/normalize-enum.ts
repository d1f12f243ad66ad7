import { helperError, show } from './helper-error.ts';

/** Case, spaces, dashes and underscores do not distinguish enum values: `In Stock` = `IN_STOCK`. */
function key(value: string | number | boolean): string {
  return String(value)
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

function buildLookup(mapping: Record<string, unknown>): Map<string, unknown> {
  const lookup = new Map<string, unknown>();
  for (const [name, target] of Object.entries(mapping)) {
    if (Array.isArray(target)) {
      // { canonical: [alias, ...] }: the canonical value also maps to itself.
      lookup.set(key(name), name);
      for (const alias of target) {
        if (typeof alias !== 'string' && typeof alias !== 'number') {
          throw helperError(
            'normalizeEnum',
            `aliases of "${name}" must be strings or numbers, got ${show(alias)}`,
          );
        }
        lookup.set(key(alias), name);
      }
    } else {
      // { alias: canonical }
      lookup.set(key(name), target);
    }
  }
  return lookup;
}

/**
 * `$normalizeEnum(value, mapping, default?)`: maps the many spellings systems use for one
 * value onto one. `mapping` is `{ "paid": ["PAID", "settled"] }` (canonical → aliases) or
 * `{ "A": "active" }` (alias → canonical); both can mix. Unknown values give the default
 * when one was passed, and an error naming the accepted values otherwise.
 */
export function normalizeEnum(...args: unknown[]): unknown {
  const [value, mapping] = args;
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
    throw helperError(
      'normalizeEnum',
      `the second argument must be an object mapping values, got ${show(mapping)}`,
    );
  }
  const hasDefault = args.length >= 3;
  if (value === undefined || value === null) return hasDefault ? args[2] : value;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw helperError('normalizeEnum', `expected a string, number or boolean, got ${show(value)}`);
  }
  const lookup = buildLookup(mapping as Record<string, unknown>);
  const found = lookup.get(key(value));
  if (found !== undefined) return found;
  if (hasDefault) return args[2];
  const accepted = [...new Set(Object.keys(mapping))].join(', ');
  throw helperError('normalizeEnum', `${show(value)} is not a known value; expected one of: ${accepted}`);
}
