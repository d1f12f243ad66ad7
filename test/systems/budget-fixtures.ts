/**
 * Shared pieces of the upstream budget tests: system definitions with limits, the backends
 * (this process, the store on SQLite and PostgreSQL, Redis) and a counting upstream that
 * records every request's arrival and how many were in flight at once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { SystemAuth, SystemDefinition, SystemLimits } from '../../src/project/index.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import {
  type BudgetBackend,
  createMemoryBudgetBackend,
  createRedisBudgetBackend,
  createStoreBudgetBackend,
} from '../../src/systems/index.ts';

export const POSTGRES_URL =
  process.env.CONFLUX_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.CONFLUX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const customersDescription = fileURLToPath(
  new URL('./fixtures/customers.openapi.yaml', import.meta.url),
);

export function budgetSystem(
  name: string,
  limits: SystemLimits | undefined,
  overrides: Partial<SystemDefinition> = {},
): SystemDefinition {
  const auth: SystemAuth = { type: 'none' };
  return {
    name,
    descriptionFile: customersDescription,
    baseUrl: 'mock',
    auth,
    timeoutMs: 5000,
    retry: { attempts: 3, backoffMs: 10 },
    ...(limits === undefined ? {} : { limits }),
    source: { file: `systems/${name}.yaml`, line: 1, column: 1 },
    ...overrides,
  };
}

/** A place budgets live; `open()` gives an independent instance, as another process would have. */
export interface BudgetTarget {
  readonly name: string;
  /** The Redis key prefix or PostgreSQL schema, for another process to open the same budgets. */
  readonly where: string;
  open(): Promise<BudgetBackend>;
  dispose(): Promise<void>;
}

export function memoryTarget(): BudgetTarget {
  const backend = createMemoryBudgetBackend();
  return {
    name: 'memory',
    where: '',
    open: () => Promise.resolve(backend),
    dispose: () => Promise.resolve(),
  };
}

export function sqliteTarget(): BudgetTarget {
  const dir = mkdtempSync(join(tmpdir(), 'conflux-budget-'));
  let store: Store | undefined;
  return {
    name: 'store (SQLite)',
    where: dir,
    async open() {
      store ??= await createStore({ sqlitePath: join(dir, 'conflux.db') });
      return createStoreBudgetBackend(store.budgets);
    },
    async dispose() {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Each open() is its own store (own pool) on one schema: two processes sharing PostgreSQL. */
export function postgresTarget(): BudgetTarget {
  const schema = `budget_${randomBytes(4).toString('hex')}`;
  const stores: Store[] = [];
  return {
    name: 'store (PostgreSQL)',
    where: schema,
    async open() {
      const store = await createStore({ sqlitePath: '', databaseUrl: POSTGRES_URL, schema });
      stores.push(store);
      return createStoreBudgetBackend(store.budgets);
    },
    async dispose() {
      for (const store of stores) await store.close();
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/** Each open() is its own Redis connection under one key prefix: two processes sharing Redis. */
export function redisTarget(): BudgetTarget {
  const prefix = `conflux:test-budget:${randomBytes(4).toString('hex')}:`;
  const clients: Redis[] = [];
  return {
    name: 'redis',
    where: prefix,
    open() {
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      clients.push(redis);
      return Promise.resolve(
        createRedisBudgetBackend({
          redis,
          prefix,
          fallback: createMemoryBudgetBackend(),
          onError: (error) => {
            throw error;
          },
        }),
      );
    },
    async dispose() {
      const [first] = clients;
      if (first !== undefined) {
        const keys = await first.keys(`${prefix}*`);
        if (keys.length > 0) await first.del(...keys);
      }
      for (const client of clients) client.disconnect();
    },
  };
}

export interface CountingUpstream {
  readonly url: string;
  /** Arrival times (epoch ms) of every request. */
  readonly arrivals: number[];
  /** The most requests in flight at once. */
  maxInFlight(): number;
  /** The next request is answered 429 with this Retry-After; the time it was answered is resolved. */
  throttleNext(retryAfter: string): Promise<number>;
  reset(): void;
  close(): Promise<void>;
}

/** Answers every request after `delayMs` with 200 `{ n }`, unless told to throttle the next. */
export async function startCountingUpstream(delayMs: number): Promise<CountingUpstream> {
  const arrivals: number[] = [];
  let inFlight = 0;
  let max = 0;
  let throttle: { retryAfter: string; answered: (at: number) => void } | undefined;
  const server = createServer((request, response) => {
    request.resume();
    arrivals.push(Date.now());
    inFlight += 1;
    max = Math.max(max, inFlight);
    const plan = throttle;
    throttle = undefined;
    setTimeout(() => {
      inFlight -= 1;
      if (plan !== undefined) {
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': plan.retryAfter });
        response.end('{"error":"slow down"}');
        plan.answered(Date.now());
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ n: arrivals.length }));
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    maxInFlight: () => max,
    throttleNext: (retryAfter) =>
      new Promise((answered) => {
        throttle = { retryAfter, answered };
      }),
    reset() {
      arrivals.length = 0;
      max = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The most arrivals within any window of `windowMs` (both ends included). */
export function busiestWindow(arrivals: readonly number[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) > windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
