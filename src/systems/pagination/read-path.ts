/**
 * Reads a dotted path from a JSON body: `meta.next_cursor`, `data.items`, `.` for the body
 * itself, and `link[relation=next].url` for the first array element whose field matches
 * (FHIR bundles). Answers undefined when any step is missing.
 */
export function readPath(value: unknown, path: string): unknown {
  if (path === '.' || path === '') return value;
  let current = value;
  for (const segment of path.split('.')) {
    const filter = /^([^[\]]+)\[([^=\]]+)=([^\]]*)\]$/.exec(segment);
    if (filter !== null) {
      const list = field(current, filter[1] as string);
      current = Array.isArray(list)
        ? list.find((item) => String(field(item, filter[2] as string)) === filter[3])
        : undefined;
    } else current = field(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}
