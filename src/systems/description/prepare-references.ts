import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appendPointer } from './json-pointer.ts';
import type { DescriptionWarnings } from './warnings.ts';

const MAX_DEPTH = 256;

/**
 * Makes the document's `$ref`s resolvable without the document's own location: relative file
 * references become absolute `file:` URLs (so the parser can be handed the parsed object), and
 * remote (http) references are replaced by an open schema with a warning, because Conflux never
 * fetches descriptions from the network at load time.
 */
export function prepareReferences(document: Record<string, unknown>, file: string, warnings: DescriptionWarnings): void {
  const base = dirname(file);
  const visit = (node: unknown, pointer: string, depth: number): unknown => {
    if (typeof node !== 'object' || node === null || depth > MAX_DEPTH) return node;
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index += 1) node[index] = visit(node[index], appendPointer(pointer, index), depth + 1);
      return node;
    }
    const record = node as Record<string, unknown>;
    const ref = record.$ref;
    if (typeof ref === 'string' && !ref.startsWith('#')) {
      if (/^https?:/i.test(ref)) {
        warnings.add(pointer, `remote $ref ${ref} is not fetched; treated as an open schema`);
        return { description: `unresolved remote reference ${ref}`, 'x-conflux-unresolved-ref': ref };
      }
      if (!/^file:/i.test(ref)) {
        const hash = ref.indexOf('#');
        const target = hash === -1 ? ref : ref.slice(0, hash);
        const fragment = hash === -1 ? '' : ref.slice(hash);
        const absolute = isAbsolute(target) ? target : resolve(base, decodeURI(target));
        record.$ref = pathToFileURL(absolute).href + fragment;
      }
      return record;
    }
    for (const key of Object.keys(record)) record[key] = visit(record[key], appendPointer(pointer, key), depth + 1);
    return record;
  };
  visit(document, '', 0);
}
