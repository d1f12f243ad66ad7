import type { JsonSchema } from '../../project/index.ts';
import { appendPointer } from '../description/json-pointer.ts';

export type DriftKind = 'new' | 'missing' | 'retyped';

export interface DriftFinding {
  readonly pointer: string;
  readonly kind: DriftKind;
  /** The offending value (new, retyped) or undefined (missing); cut short. */
  readonly sample?: unknown;
  readonly expected?: string;
}

const MAX_DEPTH = 12;
const MAX_ITEMS = 3;
const MAX_FINDINGS = 50;

/**
 * Where an answer stopped matching its described schema: fields the schema does not name
 * (new), required fields absent (missing), values of another JSON type (retyped). Looks at the
 * shape only (not formats or bounds): that is what breaks mappings when a vendor changes an API.
 */
export function detectDrift(schema: JsonSchema, value: unknown): DriftFinding[] {
  const findings: DriftFinding[] = [];
  walk(schema, value, '', 0, findings);
  return findings.slice(0, MAX_FINDINGS);
}

function walk(schema: JsonSchema, value: unknown, pointer: string, depth: number, out: DriftFinding[]): void {
  if (typeof schema !== 'object' || depth > MAX_DEPTH || out.length >= MAX_FINDINGS) return;
  const branches = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    // The branch that fits best decides: drift is what even the closest branch does not explain.
    let best: DriftFinding[] | undefined;
    for (const branch of branches) {
      const trial: DriftFinding[] = [];
      walk(branch, value, pointer, depth + 1, trial);
      if (best === undefined || trial.length < best.length) best = trial;
    }
    out.push(...(best ?? []));
    return;
  }
  const types = typeList(schema);
  if (types.length > 0 && !types.includes(jsonType(value))) {
    out.push({ pointer: pointer || '/', kind: 'retyped', sample: short(value), expected: types.join('|') });
    return;
  }
  if (jsonType(value) === 'object' && typeof schema.properties === 'object' && schema.properties !== null) {
    const properties = schema.properties as Record<string, JsonSchema>;
    const object = value as Record<string, unknown>;
    for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      if (!(name in object))
        out.push({ pointer: appendPointer(pointer, name), kind: 'missing', expected: 'present (required)' });
    }
    for (const [name, item] of Object.entries(object)) {
      const child = properties[name];
      if (child === undefined) {
        if (
          schema.additionalProperties === undefined ||
          schema.additionalProperties === false ||
          Object.keys(properties).length > 0
        )
          out.push({ pointer: appendPointer(pointer, name), kind: 'new', sample: short(item) });
      } else walk(child, item, appendPointer(pointer, name), depth + 1, out);
    }
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    for (const [index, item] of value.slice(0, MAX_ITEMS).entries()) {
      walk(schema.items as JsonSchema, item, `${pointer}/${index}`, depth + 1, out);
    }
  }
}

function typeList(schema: { readonly [keyword: string]: unknown }): string[] {
  const type = schema.type;
  const list = Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
  // An integer is a number to JSON; a number schema accepts integers.
  return list.flatMap((name) => (name === 'number' ? ['number', 'integer'] : [name]));
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function short(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 80)}…` : value;
  if (typeof value === 'object' && value !== null) {
    const text = JSON.stringify(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : value;
  }
  return value;
}
