import type { Operation } from '../types.ts';
import { buildInputSchema } from './input-schema.ts';
import { appendPointer } from './json-pointer.ts';
import type { SchemaMaterializer } from './materialize-schema.ts';
import { createIdAllocator, deriveOperationId } from './operation-id.ts';
import { isJson, type Json, type PartsReader } from './operation-parts.ts';
import { readPartsV2 } from './read-parts-v2.ts';
import { readPartsV3 } from './read-parts-v3.ts';
import type { DescriptionWarnings } from './warnings.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PATH_ITEM_FIELDS = new Set(['parameters', 'summary', 'description', 'servers', '$ref']);

/** Every operation of a dereferenced document, keyed by id (operationId, or derived and unique). */
export function readOperations(
  document: Json,
  specVersion: string,
  schemas: SchemaMaterializer,
  warnings: DescriptionWarnings,
): Map<string, Operation> {
  const readParts: PartsReader = specVersion === '2.0' ? readPartsV2 : readPartsV3;
  const allocate = createIdAllocator();
  const operations = new Map<string, Operation>();
  const paths = isJson(document.paths) ? document.paths : {};

  for (const [path, pathItem] of Object.entries(paths)) {
    const pathPointer = appendPointer('/paths', path);
    if (path.startsWith('x-')) continue;
    if (!path.startsWith('/') || !isJson(pathItem)) {
      warnings.add(pathPointer, 'not a path template starting with "/"; ignored');
      continue;
    }
    for (const [key, operation] of Object.entries(pathItem)) {
      const pointer = appendPointer(pathPointer, key);
      if (!METHODS.includes(key)) {
        if (!PATH_ITEM_FIELDS.has(key) && !key.startsWith('x-'))
          warnings.add(pointer, `unknown path item field "${key}" ignored`);
        continue;
      }
      if (!isJson(operation)) continue;
      const wanted =
        typeof operation.operationId === 'string' && operation.operationId !== ''
          ? operation.operationId
          : deriveOperationId(key, path);
      const id = allocate(wanted);
      if (id !== wanted)
        warnings.add(`${pointer}/operationId`, `operation id "${wanted}" is used twice; this one is "${id}"`);
      const parts = readParts({ document, pathItem, operation, pathPointer, pointer, schemas, warnings });
      const summary = typeof operation.summary === 'string' ? operation.summary : undefined;
      operations.set(id, {
        id,
        method: key.toUpperCase(),
        path,
        ...(summary === undefined ? {} : { summary }),
        parameters: parts.parameters,
        ...(parts.requestBody === undefined ? {} : { requestBody: parts.requestBody }),
        responses: parts.responses,
        inputSchema: buildInputSchema(parts, pointer, warnings),
      });
    }
  }
  return operations;
}
