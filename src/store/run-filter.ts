import type { SelectQueryBuilder } from 'kysely';
import type { Database } from './db-schema.ts';
import type { RunFilter } from './types.ts';

/** The history filters shared by listing runs and selecting runs for bulk operations. */
export function applyRunFilter<O>(
  query: SelectQueryBuilder<Database, 'runs', O>,
  filter: Omit<RunFilter, 'limit' | 'before'>,
): SelectQueryBuilder<Database, 'runs', O> {
  let q = query;
  if (filter.flow !== undefined) q = q.where('flow', '=', filter.flow);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.correlationId !== undefined) q = q.where('correlation_id', '=', filter.correlationId);
  if (filter.flowVersion !== undefined) q = q.where('flow_version', '=', filter.flowVersion);
  if (filter.triggerType !== undefined) q = q.where('trigger_type', '=', filter.triggerType);
  if (filter.createdAfter !== undefined) q = q.where('created_at', '>=', filter.createdAfter);
  if (filter.createdBefore !== undefined) q = q.where('created_at', '<', filter.createdBefore);
  return q;
}
