import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A ledger system we control: it records every request, counts side effects by
 * Idempotency-Key (a repeated key is answered from memory, as real payment APIs do), echoes
 * the credential it received (so the test can prove Conflux redacts it before storing), and
 * can hold `/slow` open until released.
 */
export class Ledger {
  readonly requests: RecordedRequest[] = [];
  /** Side effects per path, counted once per idempotency key. */
  readonly effects = new Map<string, number>();
  private readonly answered = new Map<string, string>();
  private holdSlow = false;
  private readonly waiting: (() => void)[] = [];
  private server: Server | undefined;
  url = '';

  hold(): void {
    this.holdSlow = true;
  }

  release(): void {
    this.holdSlow = false;
    for (const resume of this.waiting.splice(0)) resume();
  }

  count(path: string): number {
    return this.requests.filter((request) => request.path.startsWith(path)).length;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        const path = req.url ?? '/';
        this.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
        const respond = () => {
          const key = String(req.headers['idempotency-key'] ?? '');
          const remembered = key === '' ? undefined : this.answered.get(`${path}|${key}`);
          if (remembered === undefined) {
            this.effects.set(path, (this.effects.get(path) ?? 0) + 1);
          }
          const payload =
            remembered ??
            JSON.stringify({
              id: `E-${this.requests.length}`,
              path,
              receivedKey: req.headers['x-ledger-key'] ?? null,
              traceparent: req.headers.traceparent ?? null,
            });
          if (key !== '') this.answered.set(`${path}|${key}`, payload);
          res.writeHead(path.startsWith('/entries') && req.method === 'POST' ? 201 : 200, {
            'content-type': 'application/json',
          });
          res.end(payload);
        };
        if (path.startsWith('/slow') && this.holdSlow) this.waiting.push(respond);
        else respond();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const LEDGER_OPENAPI = `openapi: 3.1.0
info: { title: Ledger, version: 1.0.0 }
paths:
  /entries:
    post:
      operationId: createEntry
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [amount], properties: { amount: { type: integer }, memo: { type: string } } }
      responses:
        '201': { description: created, content: { application/json: { schema: { type: object } } } }
  /entries/{id}:
    get:
      operationId: getEntry
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '200': { description: an entry, content: { application/json: { schema: { type: object } } } }
  /slow:
    post:
      operationId: slowStep
      requestBody:
        content:
          application/json:
            schema: { type: object }
      responses:
        '200': { description: done, content: { application/json: { schema: { type: object } } } }
`;

/** Writes a project whose one system is the ledger at `ledgerUrl`. */
export function writeSliceProject(dir: string, ledgerUrl: string): void {
  for (const folder of ['systems', 'apis', 'flows', 'specs'])
    mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(join(dir, 'conflux.yaml'), 'name: slice\nshutdown: { timeoutMs: 5000 }\n');
  writeFileSync(join(dir, 'specs/ledger.openapi.yaml'), LEDGER_OPENAPI);
  writeFileSync(
    join(dir, 'systems/ledger.yaml'),
    `name: ledger
openapi: ../specs/ledger.openapi.yaml
baseUrl: ${ledgerUrl}
auth: { type: apiKey, in: header, name: x-ledger-key, secret: ledger-key }
timeoutMs: 20000
`,
  );
  writeFileSync(
    join(dir, 'apis/books.yaml'),
    `name: books
basePath: /v1
visibility: public
auth: { type: apiKey, header: x-api-key }
routes:
  - { method: POST, path: /book, flow: book }
  - { method: GET, path: '/entries/{id}', system: ledger, operation: getEntry }
  - { method: POST, path: /slow, url: '${ledgerUrl}/slow' }
`,
  );
  writeFileSync(
    join(dir, 'flows/book.yaml'),
    `name: book
triggers:
  - { type: webhook, path: book, mode: async }
retry: { attempts: 3, backoffMs: 100 }
steps:
  - { id: prepare, type: map, expression: '{ "amount": $round(trigger.body.amount * 100) }' }
  - { id: first, type: call, system: ledger, operation: createEntry, input: '{ "body": { "amount": steps.prepare.amount, "memo": "first" } }' }
  - { id: second, type: call, system: ledger, operation: slowStep, input: '{ "body": {} }' }
  - { id: third, type: call, system: ledger, operation: createEntry, input: '{ "body": { "amount": steps.prepare.amount, "memo": "third" } }' }
output: '{ "first": steps.first.body.id, "third": steps.third.body.id }'
`,
  );
}
