import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { type ConfluxProcess, startConflux, stopConflux } from './harness.ts';

// A flood of async webhooks is stored and answered 202 faster than the worker processes it,
// and every run completes exactly once. Bounded: 2,000 requests, 50 in flight, at most 120 s to
// drain (seconds on a quiet machine; about 45 s on a 2-core machine at load average 15).
const WEBHOOKS = 2000;
const IN_FLIGHT = 50;
const UPSTREAM_DELAY_MS = 15;
const DRAIN_TIMEOUT_MS = 120_000;

/**
 * The system the flow calls: slow on purpose, and idempotent the way the engine's contract
 * assumes a system is: a call repeated under the same Idempotency-Key (a retry after a timeout)
 * is answered again but applied once. Raw calls are counted apart.
 */
function startSink(): Promise<{
  server: Server;
  url: string;
  effects: Map<string, number>;
  orders: Set<number>;
  rawCalls: () => number;
}> {
  const effects = new Map<string, number>();
  const orders = new Set<number>();
  const applied = new Map<string, number>();
  let raw = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      setTimeout(() => {
        const key = String(req.headers['idempotency-key'] ?? '');
        raw += 1;
        const order = (JSON.parse(body) as { order: number }).order;
        // The same key with the same order is a repeat; another order under a key already
        // seen would be a second effect, and is counted as one.
        if (applied.get(key) !== order) effects.set(key, (effects.get(key) ?? 0) + 1);
        applied.set(key, order);
        orders.add(order);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ stored: true }));
      }, UPSTREAM_DELAY_MS);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        effects,
        orders,
        rawCalls: () => raw,
      }),
    ),
  );
}

function writeProject(dir: string, sinkUrl: string): void {
  mkdirSync(join(dir, 'systems'));
  mkdirSync(join(dir, 'flows'));
  mkdirSync(join(dir, 'specs'));
  writeFileSync(join(dir, 'conflux.yaml'), 'name: flood\n');
  writeFileSync(
    join(dir, 'specs/sink.openapi.yaml'),
    `openapi: 3.0.3
info: { title: Sink, version: 1.0.0 }
paths:
  /events:
    post:
      operationId: record
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [order], properties: { order: { type: integer }, customer: { type: string } } }
      responses:
        '201': { description: stored }
`,
  );
  writeFileSync(
    join(dir, 'systems/sink.yaml'),
    `name: sink\nopenapi: ../specs/sink.openapi.yaml\nbaseUrl: ${sinkUrl}\n`,
  );
  writeFileSync(
    join(dir, 'flows/intake.yaml'),
    `name: intake
triggers:
  - { type: webhook, path: intake, mode: async }
steps:
  - id: normalize
    type: map
    expression: '{"order": trigger.body.order, "customer": $uppercase(trigger.body.customer)}'
  - id: store
    type: call
    system: sink
    operation: record
    input: '{"body": steps.normalize}'
`,
  );
}

let dir: string;
let sink: Awaited<ReturnType<typeof startSink>>;
let proc: ConfluxProcess | undefined;

before(async () => {
  sink = await startSink();
  dir = mkdtempSync(join(tmpdir(), 'conflux-flood-'));
  writeProject(dir, sink.url);
  proc = await startConflux(dir, { env: { CONFLUX_LOG_LEVEL: 'warn' }, timeoutMs: 60_000 });
});

after(async () => {
  if (proc !== undefined) await stopConflux(proc);
  sink.server.closeAllConnections();
  await new Promise((resolve) => sink.server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

test(`${WEBHOOKS} async webhooks are all accepted (202) before the backlog is processed, and every run succeeds once`, async (t) => {
  const gateway = proc?.gatewayUrl ?? '';
  const runIds = new Set<string>();
  const statuses = new Map<number, number>();
  let next = 0;
  const started = Date.now();
  const sender = async () => {
    for (let order = next++; order < WEBHOOKS; order = next++) {
      const response = await fetch(`${gateway}/hooks/intake`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order, customer: `customer-${order % 17}` }),
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const body = (await response.json()) as { runId?: string };
      if (body.runId !== undefined) runIds.add(body.runId);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
  const accepted = Date.now();

  const db = new Database(join(dir, '.conflux/conflux.db'), { readonly: true, fileMustExist: true });
  t.after(() => db.close());
  const count = (sql: string): number => (db.prepare(sql).get() as { n: number | null }).n ?? 0;
  // At the moment the last 202 went out, part of the flood was still waiting in the store.
  const backlogAtAccept = count(
    `SELECT count(*) AS n FROM runs WHERE flow = 'intake' AND status IN ('queued', 'running')`,
  );

  assert.deepEqual([...statuses], [[202, WEBHOOKS]], 'every webhook is answered 202');
  assert.equal(runIds.size, WEBHOOKS, 'each webhook got its own run');
  assert.ok(backlogAtAccept > 0, 'acceptance does not wait for processing');

  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (
    count(`SELECT count(*) AS n FROM runs WHERE flow = 'intake' AND status = 'succeeded'`) < WEBHOOKS &&
    Date.now() < deadline
  ) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const succeeded = count(`SELECT count(*) AS n FROM runs WHERE flow = 'intake' AND status = 'succeeded'`);
  const total = count(`SELECT count(*) AS n FROM runs WHERE flow = 'intake'`);
  const processed = count(`SELECT max(finished_at) AS n FROM runs WHERE flow = 'intake'`);
  t.diagnostic(
    `accepted ${WEBHOOKS} in ${accepted - started} ms (backlog then: ${backlogAtAccept}); all processed ${processed - started} ms after the first request; the sink saw ${sink.rawCalls()} calls for ${sink.effects.size} effects`,
  );

  assert.equal(total, WEBHOOKS, 'nothing lost, nothing duplicated in the store');
  assert.equal(succeeded, WEBHOOKS, 'every run succeeded');
  assert.ok(accepted < processed, 'acceptance finished before processing did');
  const stored = db.prepare(`SELECT id FROM runs WHERE flow = 'intake'`).all() as { id: string }[];
  assert.deepEqual(new Set(stored.map((row) => row.id)), runIds, 'the stored runs are the accepted ones');
  // Each side effect happened once (by idempotency key), for every order sent.
  assert.equal(sink.orders.size, WEBHOOKS);
  assert.equal(sink.effects.size, WEBHOOKS);
  assert.deepEqual(new Set(sink.effects.values()), new Set([1]));
  assert.ok(sink.rawCalls() >= WEBHOOKS);

  // The admin side agrees: the metrics count every run as succeeded.
  const metrics = await (await fetch(`${proc?.adminUrl}/metrics`)).text();
  const line = metrics
    .split('\n')
    .find(
      (l) =>
        l.startsWith('conflux_runs_total') && l.includes('flow="intake"') && l.includes('status="succeeded"'),
    );
  assert.equal(Number(line?.split(' ').at(-1)), WEBHOOKS);
});
