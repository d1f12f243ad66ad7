/**
 * Applies pending migrations in one transaction per database, recording each version in
 * `conflux_migrations`. PostgreSQL serialises concurrent starters with a transaction-scoped
 * advisory lock (keyed by schema, so separate schemas migrate independently); SQLite with an
 * immediate write transaction, which other processes wait on through busy_timeout.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { ConfluxError } from '../errors/index.ts';
import type { Database } from './db-schema.ts';
import { type Migration, migrations } from './migrations/index.ts';
import type { Dialect } from './types.ts';

async function ensureMigrationsTable(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable('conflux_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .execute();
}

async function applyPending(
  db: Kysely<Database>,
  dialect: Dialect,
  known: readonly Migration[],
): Promise<number[]> {
  await ensureMigrationsTable(db);
  const rows = await db.selectFrom('conflux_migrations').select('version').execute();
  const applied = new Set(rows.map((row) => row.version));
  const newest = Math.max(0, ...applied);
  const latestKnown = known.at(-1)?.version ?? 0;
  if (newest > latestKnown) {
    throw new ConfluxError(
      'STORE_MIGRATION_FAILED',
      `The database is at schema version ${newest}, newer than this Conflux knows (${latestKnown}); upgrade Conflux`,
      { details: { databaseVersion: newest, knownVersion: latestKnown } },
    );
  }
  const done: number[] = [];
  for (const migration of known) {
    if (applied.has(migration.version)) continue;
    try {
      await migration.up(db as unknown as Kysely<unknown>, dialect);
    } catch (cause) {
      throw new ConfluxError(
        'STORE_MIGRATION_FAILED',
        `Migration ${migration.version} (${migration.name}) failed`,
        {
          details: { version: migration.version, name: migration.name },
          cause,
        },
      );
    }
    await db
      .insertInto('conflux_migrations')
      .values({ version: migration.version, name: migration.name, applied_at: Date.now() })
      .execute();
    done.push(migration.version);
  }
  return done;
}

function migratePostgres(
  db: Kysely<Database>,
  schema: string | undefined,
  known: readonly Migration[],
): Promise<number[]> {
  return db.transaction().execute(async (trx: Transaction<Database>) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`conflux:migrate:${schema ?? ''}`}))`.execute(trx);
    if (schema !== undefined) await trx.schema.createSchema(schema).ifNotExists().execute();
    return applyPending(trx, 'postgres', known);
  });
}

function migrateSqlite(db: Kysely<Database>, known: readonly Migration[]): Promise<number[]> {
  // Kysely's transactions on SQLite begin DEFERRED; a deferred reader that later writes can
  // fail at once with SQLITE_BUSY instead of waiting, so take the write lock up front.
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const done = await applyPending(conn, 'sqlite', known);
      await sql`commit`.execute(conn);
      return done;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}

/** Returns the versions applied by this call (empty when the schema was already current). */
export function migrate(
  db: Kysely<Database>,
  dialect: Dialect,
  schema?: string,
  known: readonly Migration[] = migrations,
): Promise<number[]> {
  return dialect === 'postgres' ? migratePostgres(db, schema, known) : migrateSqlite(db, known);
}
