import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './db-schema.ts';
import type { Dialect } from './types.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/**
 * Runs `work` holding a write lock for `key`: a transaction-scoped advisory lock on
 * PostgreSQL (other keys proceed in parallel), the database write lock on SQLite.
 */
export function withKeyLock<T>(
  db: Kysely<Database>,
  dialect: Dialect,
  key: string,
  work: (trx: Db) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`conflux:slot:${key}`}))`.execute(trx);
      return work(trx);
    });
  }
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn as unknown as Db);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}
