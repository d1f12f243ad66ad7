import type { SystemDefinition } from '../../project/index.ts';
import type { Operation, PaginationStyle } from '../types.ts';

/**
 * How an operation pages: the system file's `pagination` entry for it (or for `*`), else what
 * its description says (FHIR searches page through Bundle links). Undefined: one answer only.
 */
export function paginationOf(system: SystemDefinition, operation: Operation): PaginationStyle | undefined {
  return system.pagination?.[operation.id] ?? system.pagination?.['*'] ?? operation.pagination;
}
