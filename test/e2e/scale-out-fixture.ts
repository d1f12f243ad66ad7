/**
 * What the scale-out tests (roles, crash) share: an isolated PostgreSQL database, a counting
 * upstream that dedupes by Idempotency-Key as a real payment or ERP API does, a project whose
 * async webhook flow calls it from several steps, and readers of the processes' logs.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A database of its own on the local PostgreSQL, so parallel test files never share tables. */
export async function createIsolatedDatabase(
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A fixed key-encryption key: processes of one deployment must share it (docs/operations.md). */
export const SHARED_SECRET_KEY = randomBytes(32).toString('hex');

export interface CountingSink {
  readonly url: string;
  /** Every request received, repeats included. */
  readonly rawCalls: () => number;
  /** Requests received per Idempotency-Key. */
  readonly callsByKey: ReadonlyMap<string, number>;
  /** Side effects applied per key: a repeated key is answered from memory, not applied again. */
  readonly effectsByKey: ReadonlyMap<string, number>;
  /** The order in which keys were first applied (0, 1, 2...). */
  readonly appliedOrder: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/**
 * The upstream: applies a request's effect when it arrives (as a system does whether or not
 * the caller lives to read the answer), answers after `delayMs`, and answers a key it has
 * seen with the stored response instead of applying it again.
 */
export async function startCountingSink(delayMs: number): Promise<CountingSink> {
  let raw = 0;
  const callsByKey = new Map<string, number>();
  const effectsByKey = new Map<string, number>();
  const appliedOrder = new Map<string, number>();
  const answers = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      raw += 1;
      const key = String(req.headers['idempotency-key'] ?? '');
      callsByKey.set(key, (callsByKey.get(key) ?? 0) + 1);
      let answer = answers.get(key);
      if (answer === undefined || key === '') {
        effectsByKey.set(key, (effectsByKey.get(key) ?? 0) + 1);
        appliedOrder.set(key, appliedOrder.size);
        answer = JSON.stringify({ applied: key, at: appliedOrder.get(key) });
        answers.set(key, answer);
      }
      const body = answer;
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(body);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    rawCalls: () => raw,
    callsByKey,
    effectsByKey,
    appliedOrder,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const SINK_OPENAPI = `openapi: 3.0.3
info: { title: Sink, version: 1.0.0 }
paths:
  /effects/{step}:
    post:
      operationId: apply
      parameters: [{ name: step, in: path, required: true, schema: { type: string } }]
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [order], properties: { order: { type: integer } } }
      responses:
        '201': { description: applied, content: { application/json: { schema: { type: object } } } }
`;

/**
 * A project with flow `order` (async webhook `/hooks/order`): each of `steps` calls the sink
 * once with the order number, so a run has exactly `steps.length` side effects.
 */
export function writeOrderProject(dir: string, sinkUrl: string, steps: readonly string[]): void {
  for (const folder of ['systems', 'flows', 'specs']) mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(join(dir, 'conflux.yaml'), 'name: scale-out\nshutdown: { timeoutMs: 5000 }\n');
  writeFileSync(join(dir, 'specs/sink.openapi.yaml'), SINK_OPENAPI);
  writeFileSync(
    join(dir, 'systems/sink.yaml'),
    `name: sink\nopenapi: ../specs/sink.openapi.yaml\nbaseUrl: ${sinkUrl}\ntimeoutMs: 10000\n`,
  );
  const calls = steps
    .map(
      (step) => `  - id: ${step}
    type: call
    system: sink
    operation: apply
    input: '{"step": "${step}", "body": {"order": trigger.body.order}}'
`,
    )
    .join('');
  writeFileSync(
    join(dir, 'flows/order.yaml'),
    `name: order
triggers:
  - { type: webhook, path: order, mode: async }
  - { type: webhook, path: order-now, mode: sync }
steps:
${calls}output: '{"order": trigger.body.order}'
`,
  );
}

/** Sends `count` webhooks, `inFlight` at a time; returns the run ids answered 202. */
export async function sendOrders(
  gatewayUrl: string,
  first: number,
  count: number,
  inFlight: number,
): Promise<{ runIds: string[]; statuses: Map<number, number> }> {
  const runIds: string[] = [];
  const statuses = new Map<number, number>();
  let next = first;
  const end = first + count;
  const sender = async () => {
    for (let order = next++; order < end; order = next++) {
      const response = await fetch(`${gatewayUrl}/hooks/order`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order }),
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const body = (await response.json()) as { runId?: string };
      if (body.runId !== undefined) runIds.push(body.runId);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, sender));
  return { runIds, statuses };
}

/** Run ids of the `run finished` lines a process logged (pino JSON lines). */
export function finishedRuns(output: string): string[] {
  const ids: string[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('"run finished"')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; runId?: string };
      if (entry.msg === 'run finished' && entry.runId !== undefined) ids.push(entry.runId);
    } catch {
      // A line that is not JSON (the banner) holds no run.
    }
  }
  return ids;
}

/** Polls `probe` every 200 ms until it returns a value, or throws after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
