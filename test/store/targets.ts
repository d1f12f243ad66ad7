/**
 * Where the store tests run: a fresh SQLite file in a temp folder, or a fresh schema in the
 * real PostgreSQL. PostgreSQL never skips silently: unreachable fails the suite unless
 * CONFLUX_TEST_SKIP_POSTGRES=1 asks for a skip, which is then reported as such.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { StoreOptions } from '../../src/store/index.ts';

export interface StoreTarget {
  readonly options: StoreOptions;
  /** Reads straight from the database, past the store, to check what it really wrote. */
  query(text: string): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

export type MakeTarget = () => Promise<StoreTarget>;

export const POSTGRES_URL =
  process.env.CONFLUX_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A reason to skip the PostgreSQL suites, or false to run them (and fail if unreachable). */
export const skipPostgres: string | false =
  process.env.CONFLUX_TEST_SKIP_POSTGRES === '1'
    ? 'PostgreSQL tests skipped because CONFLUX_TEST_SKIP_POSTGRES=1 (they did NOT run)'
    : false;

export function makeSqliteTarget(): Promise<StoreTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'conflux-store-'));
  const sqlitePath = join(dir, 'nested', 'conflux.db');
  return Promise.resolve({
    options: { sqlitePath },
    // Inside then() so that a bad statement rejects rather than throws.
    query: (text) =>
      Promise.resolve().then(() => {
        const db = new SqliteDatabase(sqlitePath, { readonly: true });
        try {
          return db.prepare(text).all() as Record<string, unknown>[];
        } finally {
          db.close();
        }
      }),
    dispose: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
}

async function withClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function makePostgresTarget(): Promise<StoreTarget> {
  const schema = `conflux_test_${randomBytes(6).toString('hex')}`;
  // Reached here only when not skipping: let a connection failure fail the test loudly.
  await withClient((client) => client.query('select 1'));
  return {
    options: { sqlitePath: '', databaseUrl: POSTGRES_URL, schema },
    query: (text) =>
      withClient(async (client) => {
        await client.query(`set search_path = ${schema}`);
        return (await client.query(text)).rows as Record<string, unknown>[];
      }),
    dispose: () =>
      withClient((client) => client.query(`drop schema if exists ${schema} cascade`)).then(() => {}),
  };
}
