import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { ConfluxError } from '../../src/errors/index.ts';
import { createStore } from '../../src/store/index.ts';
import { skipPostgres } from './targets.ts';

const dir = mkdtempSync(join(tmpdir(), 'conflux-store-errors-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function expectCode(code: string, check: (error: ConfluxError) => void = () => {}) {
  return (error: unknown) => {
    assert.ok(error instanceof ConfluxError, `expected a ConfluxError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    check(error);
    return true;
  };
}

describe('store errors', () => {
  test('an unreachable PostgreSQL is STORE_UNAVAILABLE naming the host, never the password', async () => {
    // Port 1 on loopback: nothing listens, the connect is refused at once.
    const url = 'postgres://conflux:hunter2-very-secret@127.0.0.1:1/orders';
    await assert.rejects(
      createStore({ databaseUrl: url, sqlitePath: '' }),
      expectCode('STORE_UNAVAILABLE', (error) => {
        assert.match(error.message, /PostgreSQL store at 127\.0\.0\.1:1\/orders/);
        assert.doesNotMatch(error.message, /hunter2/);
        assert.doesNotMatch(JSON.stringify(error.details), /hunter2/);
        assert.equal(error.status, 503);
      }),
    );
  });

  test('a SQLite path that cannot be created is STORE_UNAVAILABLE naming the file', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const sqlitePath = join(blocker, 'sub', 'conflux.db');
    await assert.rejects(
      createStore({ sqlitePath }),
      expectCode('STORE_UNAVAILABLE', (error) =>
        assert.ok(error.message.includes(sqlitePath), error.message),
      ),
    );
  });

  test('a database URL of another kind is CONFIG_INVALID and is not echoed', async () => {
    await assert.rejects(
      createStore({ databaseUrl: 'mysql://root:s3cret-pw@db/x', sqlitePath: join(dir, 'x.db') }),
      expectCode('CONFIG_INVALID', (error) => {
        assert.match(error.message, /mysql:/);
        assert.doesNotMatch(error.message, /s3cret/);
      }),
    );
  });

  test('a schema name that is not a plain identifier is CONFIG_INVALID', async () => {
    await assert.rejects(
      createStore({ databaseUrl: 'postgres://postgres@127.0.0.1:1/test', sqlitePath: '', schema: 'x; drop' }),
      expectCode('CONFIG_INVALID'),
    );
  });

  test('a database migrated by a newer Conflux is refused (forward-only)', async () => {
    const sqlitePath = join(dir, 'newer.db');
    const store = await createStore({ sqlitePath });
    await store.close();
    const raw = new SqliteDatabase(sqlitePath);
    raw.prepare('insert into conflux_migrations (version, name, applied_at) values (99, ?, 0)').run('future');
    raw.close();
    await assert.rejects(
      createStore({ sqlitePath }),
      expectCode('STORE_MIGRATION_FAILED', (error) => assert.equal(error.details.databaseVersion, 99)),
    );
  });

  test('a PostgreSQL database that does not exist is STORE_UNAVAILABLE', { skip: skipPostgres }, async () => {
    await assert.rejects(
      createStore({
        databaseUrl: 'postgres://postgres@127.0.0.1:5432/conflux_no_such_database',
        sqlitePath: '',
      }),
      expectCode('STORE_UNAVAILABLE', (error) => assert.match(error.message, /conflux_no_such_database/)),
    );
  });
});
