import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './db-schema.ts';
import { cachingStatements } from './statement-cache.ts';
import { type StoreTarget, translateStoreError } from './store-errors.ts';

/** How long a writer waits for another process's write transaction before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

export function connectSqlite(path: string): {
  db: Kysely<Database>;
  target: StoreTarget;
  /** The same connection without Kysely, for the run hot path (sqlite-run-writes.ts). */
  sqlite: SqliteDatabase.Database;
} {
  const target: StoreTarget = { dialect: 'sqlite', where: path };
  let database: SqliteDatabase.Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    database = new SqliteDatabase(path);
  } catch (error) {
    throw translateStoreError(target, error);
  }
  // WAL lets readers run beside the one writer; NORMAL sync is durable across process crashes
  // in WAL mode (only an OS crash can lose the last commits).
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  database.pragma('foreign_keys = ON');
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(database) }) }),
    target,
    sqlite: database,
  };
}
