/**
 * An id for an operation the description left unnamed, from its method and path:
 * `GET /stock/{sku}` → `get_stock_by_sku`. Stable as long as the path does not change.
 */
export function deriveOperationId(method: string, path: string): string {
  const words = [method.toLowerCase()];
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    const parameter = /^\{([^}]+)\}$/.exec(segment);
    words.push(parameter === null ? snake(segment) : `by_${snake(parameter[1] ?? '')}`);
  }
  return words.filter((word) => word !== '').join('_');
}

function snake(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** Hands out ids unique within one description: a repeat gets `_2`, `_3`, … */
export function createIdAllocator(): (wanted: string) => string {
  const taken = new Set<string>();
  return (wanted) => {
    let id = wanted;
    for (let n = 2; taken.has(id); n += 1) id = `${wanted}_${n}`;
    taken.add(id);
    return id;
  };
}
