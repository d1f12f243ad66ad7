function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/**
 * `$default(value, fallback)`: the fallback when the value is missing, null, a blank string,
 * an empty array or an empty object. 0 and false are values, not gaps.
 */
export function defaultTo(value: unknown, fallback: unknown): unknown {
  return isEmpty(value) ? fallback : value;
}
