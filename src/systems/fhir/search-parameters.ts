import type { JsonSchema } from '../../project/index.ts';
import type { OperationParameter } from '../types.ts';

/**
 * Parameters every R4 search takes (FHIR R4 §3.1.1.5 and the result parameters of §3.1.1.5.x),
 * whatever the CapabilityStatement lists. `_lastUpdated` carries the sync cursor
 * (`ge2024-03-05T10:00:00Z`); `_count` is the page size the server may honour.
 */
const COMMON = [
  '_id',
  '_lastUpdated',
  '_tag',
  '_profile',
  '_security',
  '_has',
  '_list',
  '_sort',
  '_count',
  '_include',
  '_revinclude',
  '_summary',
  '_total',
  '_elements',
] as const;

/** A search value: prefixed text (`ge2024-01-01`), a number, or a list (the parameter repeated: AND). */
const VALUE: JsonSchema = {
  type: ['string', 'number', 'boolean', 'array'],
  items: { type: ['string', 'number', 'boolean'] },
};

const parameter = (name: string): OperationParameter => ({
  name,
  in: 'query',
  required: false,
  schema: VALUE,
});

/** The query parameters of a type's search: the common ones, then those the server declares. */
export function searchParameters(declared: readonly string[]): OperationParameter[] {
  const names = new Set<string>(COMMON);
  for (const name of declared) names.add(name);
  return [...names].map(parameter);
}
