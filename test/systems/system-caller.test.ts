import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfluxError } from '../../src/errors/index.ts';
import { createLogger, createMetrics } from '../../src/observability/index.ts';
import type { SystemAuth, SystemDefinition } from '../../src/project/index.ts';
import {
  createSystemCaller,
  loadSystemDescription,
  type MockServer,
  type SystemDescription,
  startMockServer,
} from '../../src/systems/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const SECRET = 's3cr3t-value-never-logged';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw node:http server that records requests and answers from a script, one entry per call. */
function createRawServer() {
  const seen: Seen[] = [];
  let script: ((n: number) => {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    delayMs?: number;
  })[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const step = script[Math.min(seen.length - 1, script.length - 1)];
      const plan = step?.(seen.length) ?? { status: 200, body: {} };
      const timer = setTimeout(() => {
        response.writeHead(plan.status, { 'content-type': 'application/json', ...plan.headers });
        response.end(plan.body === undefined ? '' : JSON.stringify(plan.body));
      }, plan.delayMs ?? 0);
      response.on('close', () => clearTimeout(timer));
    });
  });
  return {
    seen,
    server,
    script(next: typeof script) {
      script = next;
      seen.length = 0;
    },
    async start(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function system(name: string, auth: SystemAuth, overrides: Partial<SystemDefinition> = {}): SystemDefinition {
  return {
    name,
    descriptionFile: fixture('customers.openapi.yaml'),
    baseUrl: 'mock',
    auth,
    timeoutMs: 2000,
    retry: { attempts: 3, backoffMs: 10 },
    source: { file: `systems/${name}.yaml`, line: 1, column: 1 },
    ...overrides,
  };
}

describe('system caller', () => {
  let description: SystemDescription;
  let mock: MockServer;
  const raw = createRawServer();
  let rawUrl: string;
  const logLines: string[] = [];
  const metrics = createMetrics();
  let caller: ReturnType<typeof createSystemCaller>;

  before(async () => {
    description = await loadSystemDescription(fixture('customers.openapi.yaml'));
    mock = await startMockServer(description, { port: 0 });
    rawUrl = await raw.start();
    const systems = new Map<string, SystemDefinition>([
      ['crm', system('crm', { type: 'bearer', secret: 'crm-token' })],
      ['rawBearer', system('rawBearer', { type: 'bearer', secret: 'crm-token' })],
      [
        'rawKeyHeader',
        system('rawKeyHeader', { type: 'apiKey', in: 'header', name: 'X-Api-Key', secret: 'k' }),
      ],
      ['rawKeyQuery', system('rawKeyQuery', { type: 'apiKey', in: 'query', name: 'api_key', secret: 'k' })],
      ['rawBasic', system('rawBasic', { type: 'basic', username: 'ada', secret: 'k' })],
      ['slow', system('slow', { type: 'none' }, { timeoutMs: 100, retry: { attempts: 1, backoffMs: 10 } })],
    ]);
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    caller = createSystemCaller({
      systems,
      descriptions: new Map([...systems.keys()].map((name) => [name, description])),
      baseUrls: new Map(
        [...systems.keys()].map((name) => [name, name === 'crm' ? mock.url : `${rawUrl}/base`]),
      ),
      resolveSecret: async (name) => (name === 'missing' ? Promise.reject(new Error('no secret')) : SECRET),
      logger: createLogger({ level: 'debug', destination }),
      metrics,
    });
  });
  beforeEach(() => raw.script([() => ({ status: 200, body: { ok: true } })]));
  after(async () => {
    await caller.close();
    await mock.close();
    await raw.close();
  });

  test('creates through the mock and reads it back', async () => {
    const created = await caller.call(
      'crm',
      'createCustomer',
      { body: { email: 'ada@example.com', name: 'Ada' } },
      {
        correlationId: 'c-1',
        idempotencyKey: 'run-1:create',
      },
    );
    assert.equal(created.status, 201);
    const id = (created.body as { id: string }).id;
    const read = await caller.call('crm', 'getCustomer', { id }, { correlationId: 'c-2' });
    assert.deepEqual(read.body, created.body);
    assert.equal(read.headers['x-mock'], 'conflux');
  });

  test('sends auth, correlation, trace and idempotency headers, and places parameters', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await caller.call(
      'rawBearer',
      'get_stock_by_sku',
      { sku: 'SKU-1001', 'X-Warehouse': 'AMS-1' },
      {
        correlationId: 'corr-9',
        traceparent,
        idempotencyKey: 'k-1',
      },
    );
    const [seen] = raw.seen;
    assert.ok(seen);
    assert.equal(seen.url, '/base/stock/SKU-1001');
    assert.equal(seen.headers.authorization, `Bearer ${SECRET}`);
    assert.equal(seen.headers['x-warehouse'], 'AMS-1');
    assert.equal(seen.headers['x-request-id'], 'corr-9');
    assert.equal(seen.headers.traceparent, traceparent);
    assert.equal(seen.headers['idempotency-key'], 'k-1');

    await caller.call('rawKeyHeader', 'listCustomers', { limit: '5' }, { correlationId: 'c' });
    assert.equal(raw.seen[1]?.headers['x-api-key'], SECRET);
    assert.equal(raw.seen[1]?.url, '/base/customers?limit=5');
    await caller.call('rawKeyQuery', 'listCustomers', {}, { correlationId: 'c' });
    assert.equal(raw.seen[2]?.url, `/base/customers?api_key=${SECRET}`);
    await caller.call(
      'rawBasic',
      'createPayment',
      { body: { amount: 5, currency: 'EUR' } },
      { correlationId: 'c' },
    );
    assert.equal(
      raw.seen[3]?.headers.authorization,
      `Basic ${Buffer.from(`ada:${SECRET}`).toString('base64')}`,
    );
    assert.deepEqual(JSON.parse(raw.seen[3]?.body ?? ''), { amount: 5, currency: 'EUR' });
    assert.equal(raw.seen[3]?.headers['content-type'], 'application/json');
    await caller.call('rawKeyQuery', 'getCustomer', { id: 'a b/c' }, { correlationId: 'c' });
    assert.equal(raw.seen[4]?.url, `/base/customers/a%20b%2Fc?api_key=${SECRET}`);
    assert.ok(!logLines.join('').includes(SECRET), 'no secret in the logs');
  });

  test('retries 503 then succeeds, honouring Retry-After', async () => {
    raw.script([
      () => ({ status: 503, body: { error: 'busy' }, headers: { 'retry-after': '0' } }),
      () => ({ status: 503, body: { error: 'busy' } }),
      () => ({ status: 200, body: { id: 'cus_1' } }),
    ]);
    const answer = await caller.call('rawBearer', 'getCustomer', { id: 'cus_1' }, { correlationId: 'c' });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { id: 'cus_1' });
    assert.equal(raw.seen.length, 3);
  });

  test('does not retry a POST without an idempotency key', async () => {
    raw.script([() => ({ status: 503, body: { error: 'busy' } })]);
    await assert.rejects(
      caller.call(
        'rawBearer',
        'createPayment',
        { body: { amount: 5, currency: 'EUR' } },
        { correlationId: 'c' },
      ),
      (error: unknown) => error instanceof ConfluxError && error.code === 'SYSTEM_CALL_FAILED',
    );
    assert.equal(raw.seen.length, 1);
  });

  test('throws SYSTEM_CALL_FAILED with system, operation, status, body and retryable', async () => {
    raw.script([() => ({ status: 404, body: { error: 'unknown customer' } })]);
    await assert.rejects(
      caller.call('rawBearer', 'getCustomer', { id: 'x' }, { correlationId: 'c' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfluxError);
        assert.equal(error.code, 'SYSTEM_CALL_FAILED');
        assert.deepEqual(
          { ...error.details, attempts: undefined },
          {
            system: 'rawBearer',
            operation: 'getCustomer',
            status: 404,
            body: { error: 'unknown customer' },
            retryable: false,
            attempts: undefined,
          },
        );
        assert.ok(!JSON.stringify(error.details).includes(SECRET));
        return true;
      },
    );
    assert.equal(raw.seen.length, 1, '404 is not retried');
  });

  test('times out with SYSTEM_TIMEOUT', async () => {
    raw.script([() => ({ status: 200, body: {}, delayMs: 1500 })]);
    await assert.rejects(
      caller.call('slow', 'getCustomer', { id: 'x' }, { correlationId: 'c' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfluxError);
        assert.equal(error.code, 'SYSTEM_TIMEOUT');
        assert.equal(error.details.retryable, true);
        assert.match(error.message, /100 ms/);
        return true;
      },
    );
  });

  test('validates input before sending, naming the field', async () => {
    await assert.rejects(
      caller.call(
        'rawBearer',
        'createPayment',
        { body: { amount: 0, currency: 'EUR' } },
        { correlationId: 'c' },
      ),
      (error: unknown) => {
        assert.ok(error instanceof ConfluxError);
        assert.equal(error.code, 'SYSTEM_REQUEST_INVALID');
        assert.match(error.message, /body\/amount must be >= 1/);
        return true;
      },
    );
    await assert.rejects(
      caller.call('rawBearer', 'listCustomers', { limt: 5 }, { correlationId: 'c' }),
      (error: unknown) => error instanceof ConfluxError && /limt is not a known field/.test(error.message),
    );
    await assert.rejects(
      caller.call('rawBearer', 'nope', {}, { correlationId: 'c' }),
      (error: unknown) => error instanceof ConfluxError && error.code === 'SYSTEM_OPERATION_NOT_FOUND',
    );
    assert.equal(raw.seen.length, 0);
  });

  test('records upstream durations by system and outcome', async () => {
    const text = await metrics.registry.metrics();
    assert.match(text, /conflux_upstream_duration_seconds_count\{system="rawBearer",outcome="ok"\} \d+/);
    assert.match(text, /conflux_upstream_duration_seconds_count\{system="slow",outcome="timeout"\} 1/);
  });
});
