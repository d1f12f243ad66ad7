import type { Kysely } from 'kysely';
import type { Dialect } from '../types.ts';

/**
 * One forward-only schema change. `version` is its file's number and never changes once
 * released; a fix is a new migration. `up` runs inside the migration transaction.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** Column types that differ between the dialects; everything else is spelled the same. */
export function columnTypes(dialect: Dialect) {
  return dialect === 'postgres'
    ? ({ json: 'jsonb', bytes: 'bytea' } as const)
    : ({ json: 'text', bytes: 'blob' } as const);
}
