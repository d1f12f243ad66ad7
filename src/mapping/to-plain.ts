/**
 * JSONata answers with its own sequences (arrays carrying extra flags) and may answer
 * functions; results leave the mapping module as plain JSON values so that they store,
 * serialise and compare cleanly.
 */
export function toPlain(value: unknown): unknown {
  if (value === undefined || typeof value === 'function') return undefined;
  if (Array.isArray(value)) return value.map(toPlain).filter((item) => item !== undefined);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const plain = toPlain(item);
      if (plain !== undefined) result[key] = plain;
    }
    return result;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}
