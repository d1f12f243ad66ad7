import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appendPointer } from './json-pointer.ts';
import type { DescriptionWarnings } from './warnings.ts';

const MAX_DEPTH = 256;

/**
 * Makes the document's `$ref`s resolvable without the document's own location: relative file
 * references become absolute `file:` URLs (so the parser can be handed the parsed object).
 * Remote (http) references, which Conflux never fetches at load time, and internal references to
 * nothing (real documents have them) become open schemas with a warning instead of failing the
 * whole description.
 */
export function prepareReferences(
  document: Record<string, unknown>,
  file: string,
  warnings: DescriptionWarnings,
): void {
  const base = dirname(file);
  const visit = (node: unknown, pointer: string, depth: number): unknown => {
    if (typeof node !== 'object' || node === null || depth > MAX_DEPTH) return node;
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index += 1)
        node[index] = visit(node[index], appendPointer(pointer, index), depth + 1);
      return node;
    }
    const record = node as Record<string, unknown>;
    const ref = record.$ref;
    if (typeof ref === 'string' && ref.startsWith('#')) {
      if (pointsSomewhere(document, ref)) return record;
      warnings.add(pointer, `$ref ${ref} points to nothing in the document; treated as an open schema`);
      return { description: `unresolved reference ${ref}`, 'x-conflux-unresolved-ref': ref };
    }
    if (typeof ref === 'string') {
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
    for (const key of Object.keys(record))
      record[key] = visit(record[key], appendPointer(pointer, key), depth + 1);
    return record;
  };
  visit(document, '', 0);
}

function pointsSomewhere(document: unknown, ref: string): boolean {
  let node = document;
  for (const token of ref.slice(1).split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return false;
    const key = decodeToken(token);
    if (!Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

function decodeToken(token: string): string {
  let decoded = token;
  try {
    decoded = decodeURIComponent(token);
  } catch {
    // a literal % in a schema name: the token is meant as written
  }
  return decoded.replaceAll('~1', '/').replaceAll('~0', '~');
}
