import type SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { ConfluxError } from '../errors/index.ts';
import { createAdminPrincipalRepository } from './admin-principal-repository.ts';
import { createApiKeyRepository } from './api-key-repository.ts';
import { createAuditRepository } from './audit-repository.ts';
import { createBudgetRepository } from './budget-repository.ts';
import { connectPostgres, isPostgresUrl } from './connect-postgres.ts';
import { connectSqlite } from './connect-sqlite.ts';
import { createConnectionPauseRepository } from './connection-pause-repository.ts';
import { createConsumerRepository } from './consumer-repository.ts';
import type { Database } from './db-schema.ts';
import { createEngineStateRepository } from './engine-state-repository.ts';
import { createFlowControlRepository } from './flow-control-repository.ts';
import { createFlowPauseRepository } from './flow-pause-repository.ts';
import { createFlowVersionRepository } from './flow-version-repository.ts';
import { migrate } from './migrate.ts';
import { createOAuthRepository } from './oauth-repository.ts';
import { createPayloadRepository } from './payload-repository.ts';
import { createPlanRepository } from './plan-repository.ts';
import { createQuotaRepository } from './quota-repository.ts';
import { createRunMaintenanceRepository } from './run-maintenance-repository.ts';
import { createPostgresRunNotices, NO_RUN_NOTICES } from './run-notices.ts';
import { createRunRepository } from './run-repository.ts';
import { createScheduleRepository } from './schedule-repository.ts';
import { createSecretRepository } from './secret-repository.ts';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { createSqliteRunWrites } from './sqlite-run-writes.ts';
import { guardRepository, type StoreTarget, translateStoreError } from './store-errors.ts';
import type { Store, StoreOptions } from './types.ts';

function connect(options: StoreOptions): {
  db: Kysely<Database>;
  target: StoreTarget;
  sqlite?: SqliteDatabase.Database;
} {
  const url = options.databaseUrl ?? '';
  if (url === '') return connectSqlite(options.sqlitePath);
  if (isPostgresUrl(url)) return connectPostgres(url, options.schema);
  // Never echo the URL: it may carry a password. The scheme alone says what went wrong.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(none)';
  throw new ConfluxError(
    'CONFIG_INVALID',
    `The database URL has scheme ${scheme}; only PostgreSQL is supported`,
    {
      details: { expected: 'postgres://user:password@host:port/database or unset for embedded SQLite' },
    },
  );
}

/**
 * Opens the store named by the options (PostgreSQL for a postgres:// URL, SQLite otherwise),
 * brings its schema up to date, and returns the repositories. Throws STORE_UNAVAILABLE when
 * the database cannot be reached, STORE_MIGRATION_FAILED when the schema cannot be migrated.
 */
export async function createStore(options: StoreOptions): Promise<Store> {
  const { db, target, sqlite } = connect(options);
  try {
    await migrate(db, target.dialect, options.schema);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw translateStoreError(target, error);
  }
  const runNotices =
    target.dialect === 'postgres' ? createPostgresRunNotices(options.databaseUrl ?? '') : NO_RUN_NOTICES;
  const checkpointer =
    sqlite === undefined || options.backgroundCheckpoints === undefined || sqlite.memory
      ? undefined
      : startCheckpointer(sqlite, sqlite.name, options.backgroundCheckpoints.onProblem);
  let closed: Promise<void> | undefined;
  return {
    dialect: target.dialect,
    keys: guardRepository(target, createApiKeyRepository(db)),
    secrets: guardRepository(target, createSecretRepository(db)),
    runNotices,
    runs: guardRepository(target, {
      ...createRunRepository(db, target.dialect),
      ...(sqlite === undefined ? {} : createSqliteRunWrites(db, sqlite)),
    }),
    schedules: guardRepository(target, createScheduleRepository(db)),
    quotas: guardRepository(target, createQuotaRepository(db)),
    audit: guardRepository(target, createAuditRepository(db)),
    consumers: guardRepository(target, createConsumerRepository(db)),
    plans: guardRepository(target, createPlanRepository(db)),
    oauth: guardRepository(target, createOAuthRepository(db)),
    adminPrincipals: guardRepository(target, createAdminPrincipalRepository(db)),
    flowVersions: guardRepository(target, createFlowVersionRepository(db)),
    payloads: guardRepository(target, createPayloadRepository(db)),
    flowPauses: guardRepository(target, createFlowPauseRepository(db)),
    runMaintenance: guardRepository(target, createRunMaintenanceRepository(db)),
    engine: guardRepository(target, createEngineStateRepository(db, target.dialect)),
    flowControl: guardRepository(target, createFlowControlRepository(db, target.dialect)),
    budgets: guardRepository(target, createBudgetRepository(db, target.dialect)),
    connectionPauses: guardRepository(target, createConnectionPauseRepository(db)),
    async ping() {
      try {
        await sql`select 1`.execute(db);
      } catch (error) {
        throw translateStoreError(target, error);
      }
    },
    close() {
      closed ??= (async () => {
        await checkpointer?.stop();
        await runNotices.close();
        await db.destroy();
      })();
      return closed;
    },
  };
}
