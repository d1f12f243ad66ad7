import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { ConfluxError } from '../errors/index.ts';
import type { Database } from './db-schema.ts';
import type { StoreTarget } from './store-errors.ts';

const CONNECT_TIMEOUT_MS = 10_000;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const INT8_OID = 20;
const JSON_OID = 114;
const JSONB_OID = 3802;

// Per-pool parsers (not pg's global ones, which other code may rely on): bigint epoch
// milliseconds come back as numbers, and JSON as its text so the shared codec decodes it.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return (value: string) => Number(value);
    if (oid === JSON_OID || oid === JSONB_OID) return (value: string) => value;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as typeof pg.types.getTypeParser,
};

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

function describe(url: string): { where: string; password: string } {
  try {
    const parsed = new URL(url);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
    return {
      where: `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${database}`,
      password: decodeURIComponent(parsed.password),
    };
  } catch (cause) {
    throw new ConfluxError('CONFIG_INVALID', 'The PostgreSQL database URL cannot be parsed', {
      details: { expected: 'postgres://user:password@host:port/database' },
      cause,
    });
  }
}

export function connectPostgres(url: string, schema?: string): { db: Kysely<Database>; target: StoreTarget } {
  const { where, password } = describe(url);
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new ConfluxError(
      'CONFIG_INVALID',
      `The store schema "${schema}" is not a plain lower-case identifier`,
      {
        details: { expected: SCHEMA_NAME.source },
      },
    );
  }
  const target: StoreTarget =
    password === '' ? { dialect: 'postgres', where } : { dialect: 'postgres', where, secret: password };
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types,
    // A startup parameter, so every pooled connection gets it before its first query.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled it would crash
  // the process. The pool drops that client and the next query reports STORE_UNAVAILABLE.
  pool.on('error', () => {});
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), target };
}
