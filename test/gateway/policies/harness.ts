import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningPlatform, startPlatform } from '../../../src/platform/index.ts';

export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * An upstream we control. It records every request and answers by path:
 *   /cache?cc=<Cache-Control>  JSON with a counter, and that Cache-Control
 *   /xml                       an XML document
 *   anything else              JSON echo of method, url, headers and body
 */
export class Upstream {
  readonly seen: Seen[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const url = req.url ?? '/';
        this.seen.push({ method: req.method ?? '', url, headers: req.headers, body });
        const parsed = new URL(url, 'http://upstream');
        if (parsed.pathname === '/cache') {
          const cc = parsed.searchParams.get('cc');
          res.writeHead(200, {
            'content-type': 'application/json',
            ...(cc === null ? {} : { 'cache-control': cc }),
          });
          res.end(JSON.stringify({ n: this.seen.length }));
          return;
        }
        if (parsed.pathname === '/xml') {
          res.writeHead(200, { 'content-type': 'application/xml' });
          res.end('<?xml version="1.0"?><order><id>7</id><item sku="A1">pen</item></order>');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'x-upstream-secret': 'internal' });
        res.end(JSON.stringify({ method: req.method, url, headers: req.headers, body }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

export interface TestProject {
  readonly dir: string;
  platform: RunningPlatform;
  url: string;
  /** Stops the platform and starts it again on the same project folder (same store). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Writes a project with the given API files (and optional extra files) and starts it in-process. */
export async function startProject(options: {
  apis: Record<string, string>;
  files?: Record<string, string>;
  env?: Record<string, string>;
}): Promise<TestProject> {
  const dir = mkdtempSync(join(tmpdir(), 'conflux-policies-'));
  for (const folder of ['systems', 'apis', 'flows', 'specs'])
    mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(join(dir, 'conflux.yaml'), 'name: policies\nshutdown: { timeoutMs: 2000 }\n');
  for (const [name, text] of Object.entries(options.apis))
    writeFileSync(join(dir, 'apis', `${name}.yaml`), text);
  for (const [path, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, path), text);
  const env = {
    CONFLUX_GATEWAY_HOST: '127.0.0.1',
    CONFLUX_GATEWAY_PORT: '0',
    CONFLUX_ADMIN_HOST: '127.0.0.1',
    CONFLUX_ADMIN_PORT: '0',
    CONFLUX_LOG_LEVEL: 'silent',
    CONFLUX_ADMIN_TOKEN: 'test-admin-token-0123456789abcdef',
    ...options.env,
  };
  const start = () => startPlatform({ projectRoot: dir, env, version: 'test' });
  const first = await start();
  const project: TestProject = {
    dir,
    platform: first,
    url: first.gatewayUrl,
    async restart() {
      await project.platform.stop();
      project.platform = await start();
      project.url = project.platform.gatewayUrl;
    },
    async stop() {
      await project.platform.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return project;
}

/** Reads a problem+json or JSON body. */
export async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}
