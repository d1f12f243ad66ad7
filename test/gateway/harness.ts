import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type RequestListener,
  request,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLogger } from '../../src/observability/index.ts';
import { type RunningPlatform, startPlatform } from '../../src/platform/index.ts';

export const ADMIN_TOKEN = 'gateway-test-admin-token-0123456789';

/** Writes a project (path → text) into a temp folder. */
export function writeProject(files: Record<string, string>): {
  dir: string;
  write(path: string, text: string): void;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'conflux-gw-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('conflux.yaml', 'name: gwtest\n');
  for (const [path, text] of Object.entries(files)) write(path, text);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts a project in-process; `env` adds or overrides variables (e.g. the OTLP endpoint). */
export function startProject(dir: string, env: Record<string, string> = {}): Promise<RunningPlatform> {
  return startPlatform({
    projectRoot: dir,
    env: {
      CONFLUX_GATEWAY_PORT: '0',
      CONFLUX_ADMIN_PORT: '0',
      CONFLUX_GATEWAY_HOST: '127.0.0.1',
      CONFLUX_ADMIN_TOKEN: ADMIN_TOKEN,
      CONFLUX_LOG_LEVEL: 'silent',
      ...env,
    },
    version: 'test',
    logger: createLogger({ level: 'silent' }),
  }).catch((error: unknown) => {
    // Say which lines are wrong, not just how many.
    const problems = (error as { details?: { problems?: unknown } }).details?.problems;
    throw new Error(`${(error as Error).message} ${JSON.stringify(problems ?? [])}`, { cause: error });
  });
}

/** Issues an API key for a consumer; `type:internal` / `type:partner` scopes set its type. */
export async function issueKey(
  platform: RunningPlatform,
  consumer: string,
  scopes: string[] = [],
): Promise<string> {
  const issued = await platform.core.keys.create({ consumer, name: consumer, scopes, expiresAt: null });
  return issued.key;
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** One HTTP request over loopback with full control of the Host header. */
export function call(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: `${url.pathname}${url.search}`,
        headers: options.headers ?? {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A plain upstream on a loopback port. */
export async function startUpstream(
  handler: RequestListener,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A small OpenAPI description used by several tests' systems. */
export const CATALOG_OPENAPI = `openapi: 3.1.0
info: { title: Catalog, version: 1.0.0 }
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: The item
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties: { id: { type: string }, name: { type: string }, price: { type: number } }
              example: { id: '7', name: Lamp, price: 12.5 }
  /items:
    get:
      operationId: listItems
      parameters:
        - { name: limit, in: query, required: false, schema: { type: integer } }
      responses:
        '200':
          description: Items
          content:
            application/json:
              schema: { type: array, items: { type: object, properties: { id: { type: string } } } }
              example: [{ id: '7' }]
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [name], properties: { name: { type: string } } }
      responses:
        '201':
          description: Created
          content:
            application/json:
              schema: { type: object, properties: { id: { type: string }, name: { type: string } } }
  /fail:
    get:
      operationId: failing
      responses:
        '200': { description: never }
  /slow:
    get:
      operationId: slow
      responses:
        '200': { description: slow }
  /reviews/{id}:
    get:
      operationId: getReviews
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: Reviews
          content:
            application/json:
              schema: { type: object, properties: { stars: { type: integer } } }
`;

export function systemFile(name: string, baseUrl: string, extra = ''): string {
  return `name: ${name}\nopenapi: ../specs/${name}.openapi.yaml\nbaseUrl: ${baseUrl}\ntimeoutMs: 2000\n${extra}`;
}
