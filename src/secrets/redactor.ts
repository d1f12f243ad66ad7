/**
 * Remembers every secret value handed out and scrubs them from data before it is persisted
 * (step input and output) or shown. A safety net, not a guarantee: it finds the exact
 * strings only, not encodings of them (base64 in a Basic header, URL-escaped forms).
 */

export const REDACTED = '[redacted]';

/**
 * Values shorter than this are not scrubbed: replacing every "ab" in every payload would
 * destroy data while protecting nothing a guesser could not find anyway.
 */
export const MIN_REDACTED_LENGTH = 4;

export interface Redactor {
  /** Adds a value to scrub from now on. */
  register(value: string): void;
  /**
   * A copy of `value` with every registered string replaced by `[redacted]`, or `value` itself
   * when nothing in it needs scrubbing; the input is never changed.
   */
  redact(value: unknown): unknown;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function createRedactor(): Redactor {
  const values = new Set<string>();
  let pattern: RegExp | undefined;
  // The same alternatives without the global flag: test() then keeps no state between strings.
  let probe: RegExp | undefined;

  function compiled(): RegExp {
    // Longest first, so a secret containing another is replaced whole.
    pattern ??= new RegExp(
      [...values]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    return pattern;
  }

  /**
   * Whether any string in `value` holds a secret. Most step inputs and outputs hold none, and
   * looking costs no copy (copying every value before storing it showed in profiles).
   */
  function holdsSecret(value: unknown, seen: Set<object>): boolean {
    if (typeof value === 'string') {
      probe ??= new RegExp(compiled().source);
      return probe.test(value);
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return false;
    seen.add(value);
    if (Array.isArray(value)) return value.some((item) => holdsSecret(item, seen));
    if (!isPlainObject(value)) return false;
    for (const key in value) if (holdsSecret(value[key], seen)) return true;
    return false;
  }

  function walk(value: unknown, seen: Map<object, unknown>): unknown {
    if (typeof value === 'string') return value.replace(compiled(), REDACTED);
    if (typeof value !== 'object' || value === null) return value;
    const done = seen.get(value);
    if (done !== undefined) return done;
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(walk(item, seen));
      return copy;
    }
    if (isPlainObject(value)) {
      const copy: Record<string, unknown> = {};
      seen.set(value, copy);
      for (const [key, item] of Object.entries(value)) copy[key] = walk(item, seen);
      return copy;
    }
    return value;
  }

  return {
    register(value) {
      if (value.length < MIN_REDACTED_LENGTH || values.has(value)) return;
      values.add(value);
      pattern = undefined;
      probe = undefined;
    },
    redact(value) {
      if (values.size === 0 || !holdsSecret(value, new Set())) return value;
      return walk(value, new Map());
    },
  };
}
