import type { JsonText } from './db-schema.ts';

/** `undefined` and `null` both become SQL NULL: a run without output has no output column. */
export function encodeJson(value: unknown): JsonText | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function decodeJson(text: JsonText | null): unknown {
  return text === null ? null : JSON.parse(text);
}
