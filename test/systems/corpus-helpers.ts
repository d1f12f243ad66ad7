import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Operation } from '../../src/systems/index.ts';
import { generateValue } from '../../src/systems/schema/generate-value.ts';
import { createRandom } from '../../src/systems/schema/random.ts';

/** The shared corpus sits beside the repository: `<x>/main` and `<x>/shared`. */
export const corpusRoot = fileURLToPath(new URL('../../../shared/corpus/openapi', import.meta.url));

/** Every OpenAPI document under the corpus; referenced fragments (no openapi/swagger field) are not documents. */
export function corpusDocuments(root = corpusRoot): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 10) return;
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path, depth + 1);
      else if (/\.(json|ya?ml)$/i.test(entry) && isOpenApiDocument(path)) out.push(path);
    }
  };
  walk(root, 0);
  return out;
}

function isOpenApiDocument(path: string): boolean {
  return /^\s*["']?(openapi|swagger)["']?\s*:/m.test(readFileSync(path, 'utf8'));
}

/** A GET needing no input if there is one, else the first operation. */
export function pickOperation(operations: Iterable<Operation>): Operation | undefined {
  const all = [...operations];
  const simple = all.find(
    (operation) =>
      operation.method === 'GET' && operation.parameters.every((parameter) => !parameter.required),
  );
  return simple ?? all[0];
}

/** A request for the operation with every required parameter and body generated from its schema. */
export function requestFor(operation: Operation): {
  path: string;
  headers: Record<string, string>;
  body?: string;
} {
  const random = createRandom(7);
  const value = (schema: Parameters<typeof generateValue>[0]) => {
    const generated = generateValue(schema, random);
    return typeof generated === 'object' ? JSON.stringify(generated) : String(generated);
  };
  let path = operation.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const parameter of operation.parameters) {
    if (!parameter.required) continue;
    if (parameter.in === 'path')
      path = path.replace(`{${parameter.name}}`, encodeURIComponent(value(parameter.schema)));
    if (parameter.in === 'query') query.set(parameter.name, value(parameter.schema));
    if (parameter.in === 'header') headers[parameter.name] = value(parameter.schema);
  }
  const search = query.size > 0 ? `?${query}` : '';
  const requestBody = operation.requestBody;
  if (requestBody?.schema === undefined) return { path: path + search, headers };
  headers['content-type'] = 'application/json';
  return { path: path + search, headers, body: JSON.stringify(generateValue(requestBody.schema, random)) };
}
