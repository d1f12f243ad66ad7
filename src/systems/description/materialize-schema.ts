import type { JsonSchema } from '../../project/index.ts';
import { appendPointer } from './json-pointer.ts';
import type { DescriptionWarnings } from './warnings.ts';

/**
 * Turns a dereferenced OpenAPI schema (possibly a circular object graph) into plain, finite
 * JSON Schema 2020-12 that ajv and agent tools read as is:
 *
 * - a circular reference is cut where it repeats: the repeat becomes an open schema marked
 *   `x-conflux-circular` (and a warning), so nothing downstream can loop;
 * - the OpenAPI dialect becomes JSON Schema: `nullable` / `x-nullable` → a `null` type,
 *   boolean `exclusiveMinimum` → numeric, Swagger's `type: file` → binary string, tuple `items`
 *   → `prefixItems`; `$id`/`$schema` are dropped because they mean nothing once inlined;
 * - `readOnly` properties are not required in requests, nor `writeOnly` ones in responses.
 *
 * Every schema object is converted once and the result shared wherever it is met again; a
 * repeat met while its own conversion is still running is the cut. Expanding each occurrence
 * instead grows exponentially with mutually recursive schemas (Xero's accounting document
 * reached 60 MB that way); sharing keeps the output linear in the document and still finite.
 */
export type SchemaMode = 'request' | 'response';

export interface SchemaMaterializer {
  schema(node: unknown, pointer: string, mode: SchemaMode): JsonSchema;
  /** Copies example data, replacing anything circular with null. */
  value(node: unknown): unknown;
}

export const CIRCULAR_MARK = 'x-conflux-circular';
const MAX_DEPTH = 64;

const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_VALUES = new Set([
  'additionalProperties',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contentSchema',
]);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const DROPPED = new Set([
  '$id',
  '$schema',
  '$anchor',
  '$dynamicAnchor',
  'nullable',
  'x-nullable',
  'xml',
  '$ref',
]);

export function createSchemaMaterializer(warnings: DescriptionWarnings): SchemaMaterializer {
  const memo = { request: new WeakMap<object, JsonSchema>(), response: new WeakMap<object, JsonSchema>() };

  function materialize(mode: SchemaMode) {
    const stack = new Set<object>();

    const convert = (node: unknown, pointer: string, depth: number): JsonSchema => {
      if (typeof node === 'boolean') return node;
      if (typeof node !== 'object' || node === null || Array.isArray(node)) return {};
      const known = memo[mode].get(node);
      if (known !== undefined) return known;
      if (stack.has(node) || depth > MAX_DEPTH) {
        const reason = depth > MAX_DEPTH ? `nested deeper than ${MAX_DEPTH} levels` : 'circular reference';
        warnings.add(pointer, `${reason}: not expanded further, accepted as any value`);
        return { [CIRCULAR_MARK]: true, description: `${reason}, not expanded` };
      }
      stack.add(node);
      const result = convertObject(node as Record<string, unknown>, pointer, depth);
      stack.delete(node);
      memo[mode].set(node, result);
      return result;
    };

    const convertObject = (source: Record<string, unknown>, pointer: string, depth: number): JsonSchema => {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(source)) {
        const at = appendPointer(pointer, key);
        if (DROPPED.has(key) || (key === 'id' && typeof child === 'string')) continue;
        if (SCHEMA_MAPS.has(key) && isRecord(child)) {
          const map: Record<string, JsonSchema> = {};
          for (const [name, schema] of Object.entries(child))
            map[name] = convert(schema, appendPointer(at, name), depth + 1);
          out[key] = map;
        } else if (SCHEMA_VALUES.has(key) && (isRecord(child) || typeof child === 'boolean')) {
          out[key] = convert(child, at, depth + 1);
        } else if (SCHEMA_LISTS.has(key) && Array.isArray(child)) {
          out[key] = child.map((schema, index) => convert(schema, appendPointer(at, index), depth + 1));
        } else if (key === 'items') {
          if (Array.isArray(child)) {
            out.prefixItems = child.map((schema, index) =>
              convert(schema, appendPointer(at, index), depth + 1),
            );
          } else {
            out.items = convert(child, at, depth + 1);
          }
        } else {
          out[key] = copyValue(child);
        }
      }
      normalizeNumericBounds(source, out);
      if (source.type === 'file') {
        out.type = 'string';
        out.format = 'binary';
      }
      dropOneSidedRequired(out, mode);
      return applyNullable(source, out);
    };

    return (node: unknown, pointer: string) => convert(node, pointer, 0);
  }

  return {
    schema: (node, pointer, mode) => materialize(mode)(node, pointer),
    value: copyValue,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function copyValue(value: unknown): unknown {
  const stack = new Set<object>();
  const copy = (node: unknown): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    if (stack.has(node) || stack.size > MAX_DEPTH) return null;
    stack.add(node);
    const out = Array.isArray(node)
      ? node.map(copy)
      : Object.fromEntries(Object.entries(node).map(([key, child]) => [key, copy(child)]));
    stack.delete(node);
    return out;
  };
  return copy(value);
}

/** OpenAPI 3.0 / draft 4 spell exclusive bounds as booleans beside minimum / maximum. */
function normalizeNumericBounds(source: Record<string, unknown>, out: Record<string, unknown>): void {
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof source[exclusive] !== 'boolean') continue;
    if (source[exclusive] === true && typeof source[bound] === 'number') {
      out[exclusive] = source[bound];
      delete out[bound];
    } else {
      delete out[exclusive];
    }
  }
}

function dropOneSidedRequired(out: Record<string, unknown>, mode: SchemaMode): void {
  const properties = out.properties;
  if (!Array.isArray(out.required) || !isRecord(properties)) return;
  const flag = mode === 'request' ? 'readOnly' : 'writeOnly';
  out.required = out.required.filter((name) => {
    const property = properties[String(name)];
    return !(isRecord(property) && property[flag] === true);
  });
}

function applyNullable(source: Record<string, unknown>, out: Record<string, unknown>): JsonSchema {
  if (source.nullable !== true && source['x-nullable'] !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    return out;
  }
  if (Array.isArray(out.type)) {
    if (!out.type.includes('null')) out.type = [...out.type, 'null'];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}
