import type { JsonSchema } from '../../project/index.ts';
import { CIRCULAR_MARK } from '../description/materialize-schema.ts';
import { type Random, randomUuid } from './random.ts';

/**
 * Example data for a JSON Schema, deterministic for a given random source. It prefers what the
 * author wrote (const, example(s), default, enum) and otherwise makes the smallest plausible
 * value that honours type, format, bounds and required properties. Nesting is bounded: past
 * MAX_DEPTH only required properties are filled, past HARD_DEPTH nothing is.
 */
const MAX_DEPTH = 4;
const HARD_DEPTH = 8;
const BASE_TIME = Date.UTC(2025, 0, 15, 9, 30, 0);

type Schema = Record<string, unknown>;

export function generateValue(schema: JsonSchema, random: Random): unknown {
  return generate(schema, random, 0);
}

function generate(input: JsonSchema, random: Random, depth: number, name = ''): unknown {
  if (typeof input === 'boolean' || input[CIRCULAR_MARK] === true) return null;
  const schema = input.allOf === undefined ? (input as Schema) : mergeAllOf(input as Schema);
  if (schema.const !== undefined) return schema.const;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0)
    return schema.enum.find((value) => value !== null) ?? null;
  const variants = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(variants) && variants.length > 0) {
    const chosen = variants.find((variant) => !isNullSchema(variant)) ?? variants[0];
    return generate(mergeInto(schema, chosen ?? {}), random, depth, name);
  }
  switch (typeOf(schema)) {
    case 'object':
      return generateObject(schema, random, depth);
    case 'array':
      return generateArray(schema, random, depth);
    case 'string':
      return generateString(schema, random, name);
    case 'integer':
      return generateNumber(schema, random, true);
    case 'number':
      return generateNumber(schema, random, false);
    case 'boolean':
      return true;
    default:
      return null;
  }
}

function typeOf(schema: Schema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (typeof type === 'string') return type;
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function isNullSchema(schema: JsonSchema): boolean {
  return typeof schema === 'object' && (schema.type === 'null' || schema.const === null);
}

/** The schema without its oneOf/anyOf, with the chosen branch's keywords laid over it. */
function mergeInto(base: Schema, variant: JsonSchema): Schema {
  const { oneOf: _oneOf, anyOf: _anyOf, ...rest } = base;
  return typeof variant === 'object' ? mergeSchemas(rest, variant as Schema) : rest;
}

function mergeAllOf(schema: Schema): Schema {
  const { allOf, ...rest } = schema;
  let merged: Schema = rest;
  for (const part of allOf as JsonSchema[]) {
    if (typeof part !== 'object') continue;
    const flat = part.allOf === undefined ? (part as Schema) : mergeAllOf(part as Schema);
    merged = mergeSchemas(merged, flat);
  }
  return merged;
}

function mergeSchemas(a: Schema, b: Schema): Schema {
  const merged: Schema = { ...b, ...a };
  if (a.type === undefined && b.type !== undefined) merged.type = b.type;
  if (a.properties !== undefined || b.properties !== undefined) {
    merged.properties = { ...(b.properties as Schema), ...(a.properties as Schema) };
  }
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    merged.required = [
      ...new Set([...((a.required as string[]) ?? []), ...((b.required as string[]) ?? [])]),
    ];
  }
  return merged;
}

function generateObject(schema: Schema, random: Random, depth: number): unknown {
  if (depth >= HARD_DEPTH) return {};
  const out: Record<string, unknown> = {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, property] of Object.entries(properties)) {
    if (!required.has(name) && (depth >= MAX_DEPTH || isCut(property) || isOneSided(property, 'writeOnly')))
      continue;
    out[name] = generate(property, random, depth + 1, name);
  }
  const extra = schema.additionalProperties;
  if (
    Object.keys(properties).length === 0 &&
    typeof extra === 'object' &&
    extra !== null &&
    depth < MAX_DEPTH
  ) {
    out.key = generate(extra as JsonSchema, random, depth + 1);
  }
  return out;
}

function isCut(schema: JsonSchema): boolean {
  return typeof schema === 'object' && schema[CIRCULAR_MARK] === true;
}

function isOneSided(schema: JsonSchema, flag: 'readOnly' | 'writeOnly'): boolean {
  return typeof schema === 'object' && schema[flag] === true;
}

function generateArray(schema: Schema, random: Random, depth: number): unknown[] {
  const items = (schema.items ?? {}) as JsonSchema;
  const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : 2;
  const count = Math.max(0, Math.min(Math.max(min, 1), max, 2));
  if (depth >= HARD_DEPTH || isCut(items)) return [];
  const out: unknown[] = [];
  for (let index = 0; index < count; index += 1) out.push(generate(items, random, depth + 1));
  if (schema.uniqueItems === true && out.length > 1 && JSON.stringify(out[0]) === JSON.stringify(out[1]))
    out.pop();
  return out;
}

function generateNumber(schema: Schema, random: Random, integer: boolean): number {
  const exclusiveMin = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const exclusiveMax = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined;
  let low =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : exclusiveMin !== undefined
        ? exclusiveMin + (integer ? 1 : 0.01)
        : undefined;
  let high =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : exclusiveMax !== undefined
        ? exclusiveMax - (integer ? 1 : 0.01)
        : undefined;
  low ??= high === undefined ? 1 : Math.min(1, high);
  high ??= Math.max(low, 100) + (low > 100 ? 100 : 0);
  let value = low + random() * (high - low);
  const step = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : undefined;
  if (step !== undefined) value = Math.min(Math.ceil(low / step) * step, Math.floor(high / step) * step);
  if (integer) value = Math.min(Math.max(Math.ceil(low), Math.round(value)), Math.floor(high));
  return integer ? value : Math.round(value * 100) / 100;
}

const WORDS = ['alpha', 'bravo', 'delta', 'echo', 'lima', 'nova', 'orbit', 'pixel', 'quartz', 'sierra'];

/** Property names that say what a plain string holds, for data that reads like the real thing. */
const NAME_HINTS: readonly [RegExp, string][] = [
  [/e-?mail/i, 'email'],
  [/(^|_)url$|Url$|uri$|href$/i, 'uri'],
  [/(At|_at|date|Date|time|Time)$/, 'date-time'],
];

function generateString(schema: Schema, random: Random, name: string): string {
  const n = Math.floor(random() * 9000) + 1000;
  const time = new Date(BASE_TIME + Math.floor(random() * 365) * 86_400_000);
  const formatted: Record<string, () => string> = {
    'date-time': () => time.toISOString().replace('.000', ''),
    date: () => time.toISOString().slice(0, 10),
    time: () => '09:30:00Z',
    email: () => `user${n}@example.com`,
    uuid: () => randomUuid(random),
    uri: () => `https://example.com/resource/${n}`,
    url: () => `https://example.com/resource/${n}`,
    'uri-reference': () => `/resource/${n}`,
    hostname: () => `host${n}.example.com`,
    ipv4: () => `192.0.2.${n % 255}`,
    ipv6: () => `2001:db8::${n.toString(16)}`,
    byte: () => Buffer.from(`conflux-${n}`).toString('base64'),
    password: () => `secret-${n}`,
  };
  if (schema.format === undefined && schema.pattern === undefined && schema.maxLength === undefined) {
    if (/currency/i.test(name)) return 'EUR';
    if (/country/i.test(name)) return 'NL';
    const hinted = NAME_HINTS.find(([pattern]) => pattern.test(name))?.[1];
    if (hinted !== undefined) return formatted[hinted]?.() ?? `${name}-${n}`;
  }
  const make = formatted[String(schema.format)];
  if (make !== undefined) return make();
  const word = WORDS[n % WORDS.length] ?? 'value';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  let text = `${word}-${n}`;
  while (text.length < min) text += `-${word}`;
  return text.slice(0, Math.max(min, Math.min(max, text.length)));
}
