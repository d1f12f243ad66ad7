import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { ConfluxError } from '../../src/errors/index.ts';
import { connectPostgres } from '../../src/store/connect-postgres.ts';
import { connectSqlite } from '../../src/store/connect-sqlite.ts';
import type { Database } from '../../src/store/db-schema.ts';
import { createStore } from '../../src/store/index.ts';
import { migrate } from '../../src/store/migrate.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import type { Migration } from '../../src/store/migrations/migration.ts';
import type { Dialect } from '../../src/store/types.ts';
import { type MakeTarget, makePostgresTarget, makeSqliteTarget, skipPostgres } from './targets.ts';

const knownVersions = migrations.map((migration) => migration.version);
const brokenVersion = Math.max(...knownVersions) + 1;

// Creates a table, then fails: the whole migration transaction must roll back.
const broken: Migration = {
  version: brokenVersion,
  name: 'broken',
  async up(db) {
    await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
    await sql`select * from table_that_does_not_exist`.execute(db);
  },
};

function connect(dialect: Dialect, options: { sqlitePath: string; databaseUrl?: string; schema?: string }) {
  return dialect === 'postgres'
    ? connectPostgres(options.databaseUrl ?? '', options.schema)
    : connectSqlite(options.sqlitePath);
}

for (const [dialect, makeTarget, skip] of [
  ['sqlite', makeSqliteTarget, false],
  ['postgres', makePostgresTarget, skipPostgres],
] as Array<[Dialect, MakeTarget, string | false]>) {
  describe(`migrations: ${dialect}`, { skip }, () => {
    test('a failing migration is rolled back whole and not recorded', async () => {
      const target = await makeTarget();
      const { db } = connect(dialect, target.options);
      try {
        assert.deepEqual(await migrate(db, dialect, target.options.schema, migrations), knownVersions);
        await assert.rejects(
          migrate(db, dialect, target.options.schema, [...migrations, broken]),
          (error: unknown) =>
            error instanceof ConfluxError &&
            error.code === 'STORE_MIGRATION_FAILED' &&
            error.details.version === brokenVersion,
        );
        const versions = await target.query('select version from conflux_migrations');
        assert.deepEqual(
          versions.map((row) => Number(row.version)).sort((a, b) => a - b),
          knownVersions,
        );
        await assert.rejects(
          target.query('select * from half_done'),
          'half_done must not exist after rollback',
        );
        assert.deepEqual(
          await migrate(db, dialect, target.options.schema, migrations),
          [],
          'nothing left to apply',
        );
      } finally {
        await (db as Kysely<Database>).destroy();
        await target.dispose();
      }
    });
  });
}

describe('migrations: concurrent start on PostgreSQL', { skip: skipPostgres }, () => {
  test('five processes starting at once on an empty schema migrate it exactly once', async () => {
    const target = await makePostgresTarget();
    try {
      const stores = await Promise.all(Array.from({ length: 5 }, () => createStore(target.options)));
      const versions = await target.query('select version from conflux_migrations');
      assert.equal(versions.length, migrations.length);
      await Promise.all(stores.map((store) => store.ping()));
      await Promise.all(stores.map((store) => store.close()));
    } finally {
      await target.dispose();
    }
  });
});
