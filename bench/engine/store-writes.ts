// The engine's per-run writes on SQLite, side by side: a sync run's four durable writes (create
// under a lease, two step checkpoints, finish) through the Kysely repository (what PostgreSQL
// uses; a commit per write), through the prepared statements of sqlite-run-writes.ts one run
// at a time (still a commit per write), and with 50 runs in flight sharing group commits — in
// WAL mode with synchronous NORMAL (the default) and FULL. Prints JSON; run by run.mjs
// (`--only sqlite`) or alone: node --import tsx bench/engine/store-writes.ts [runs]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectSqlite } from '../../src/store/connect-sqlite.ts';
import { migrate } from '../../src/store/migrate.ts';
import { createRunRepository } from '../../src/store/run-repository.ts';
import { createSqliteRunWrites } from '../../src/store/sqlite-run-writes.ts';
import type { RunRepository } from '../../src/store/types.ts';

type Writes = Pick<RunRepository, 'create' | 'saveStep' | 'finish'>;

const RUNS = Number(process.argv[2] ?? 4000);
const MAX_SECONDS = 20;
const trigger = JSON.parse(readFileSync(new URL('payload.json', import.meta.url), 'utf8'));
const mapped = { orderId: 'ORD-1001', name: 'Ada Lovelace', email: 'ada.lovelace@example.com' };

async function oneRun(writes: Writes): Promise<void> {
  const id = randomUUID();
  const now = Date.now();
  await writes.create({
    id,
    flow: 'bench',
    flowVersion: 'v1',
    triggerType: 'webhook',
    input: { body: trigger },
    correlationId: id,
    lease: { owner: 'bench', expiresAt: now + 30_000 },
  });
  for (const stepId of ['map', 'enrich']) {
    await writes.saveStep({
      runId: id,
      stepId,
      status: 'succeeded',
      input: mapped,
      output: { ...mapped, stepId },
      error: null,
      attempts: 1,
      startedAt: now,
      finishedAt: Date.now(),
    });
  }
  await writes.finish(id, 'bench', { status: 'succeeded', output: { order: mapped } }, Date.now());
}

async function measure(label: string, synchronous: string, inFlight: number, kysely: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'conflux-store-writes-'));
  const { db, sqlite } = connectSqlite(join(dir, 'bench.db'));
  sqlite.pragma(`synchronous = ${synchronous}`);
  await migrate(db, 'sqlite', undefined);
  const writes: Writes = kysely ? createRunRepository(db, 'sqlite') : createSqliteRunWrites(db, sqlite);
  const deadline = Date.now() + MAX_SECONDS * 1000;
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const lane = async () => {
    while (next < RUNS && Date.now() < deadline) {
      next += 1;
      await oneRun(writes);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
  return {
    label,
    synchronous,
    inFlight,
    runs: next,
    runsPerSecond: Math.round(next / seconds),
    cpuMsPerRun: Number(((used.user + used.system) / 1000 / next).toFixed(3)),
  };
}

const results = [];
for (const synchronous of ['NORMAL', 'FULL']) {
  results.push(await measure('Kysely repository, a commit per write', synchronous, 50, true));
  results.push(await measure('prepared statements, a commit per write', synchronous, 1, false));
  results.push(await measure('group commit, 50 runs in flight', synchronous, 50, false));
}
process.stdout.write(`${JSON.stringify(results)}\n`);
