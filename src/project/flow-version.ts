import { createHash } from 'node:crypto';

/**
 * A short, stable hash of a flow: sha256 over its canonical JSON (keys sorted, source
 * locations left out so that moving a flow within its file changes nothing) and the texts of
 * the mappings it uses, so that editing a mapping also makes a new version.
 */
export function flowVersion(definition: unknown, mappingTexts: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(canonicalJson(definition));
  for (const text of mappingTexts) hash.update('\0').update(text);
  return hash.digest('hex').slice(0, 12);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([key, item]) => key !== 'source' && item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
