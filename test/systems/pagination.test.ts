import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger, createMetrics } from '../../src/observability/index.ts';
import type { SystemPagination } from '../../src/project/index.ts';
import { createSystemCaller, loadSystemDescription, nextLink, paginate } from '../../src/systems/index.ts';

const ITEMS = Array.from({ length: 23 }, (_, i) => ({ id: i + 1 }));
const PAGE = 5;

const DESCRIPTION = `openapi: 3.0.3
info: { title: Pages, version: '1' }
paths:
  /cursor:
    get:
      operationId: byCursor
      parameters: [{ name: cursor, in: query, schema: { type: string } }]
      responses: { '200': { description: ok } }
  /offset:
    get:
      operationId: byOffset
      parameters: [{ name: offset, in: query, schema: { type: integer } }, { name: limit, in: query, schema: { type: integer } }]
      responses: { '200': { description: ok } }
  /page:
    get:
      operationId: byPage
      parameters: [{ name: page, in: query, schema: { type: integer } }]
      responses: { '200': { description: ok } }
  /link:
    get:
      operationId: byLink
      responses: { '200': { description: ok } }
  /bundle:
    get:
      operationId: byBundle
      responses: { '200': { description: ok } }
`;

describe('pagination styles against a local server', () => {
  let server: Server;
  let origin: string;
  let dir: string;
  let caller: ReturnType<typeof createSystemCaller>;
  const hits: string[] = [];

  before(async () => {
    server = createServer((req, res): unknown => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      hits.push(url.pathname + url.search);
      const json = (body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      const q = (name: string) => url.searchParams.get(name);
      if (url.pathname === '/cursor') {
        const start = Number(q('cursor') ?? 0);
        const next = start + PAGE < ITEMS.length ? String(start + PAGE) : null;
        return json({ data: ITEMS.slice(start, start + PAGE), meta: { next_cursor: next } });
      }
      if (url.pathname === '/offset') {
        const offset = Number(q('offset'));
        return json(ITEMS.slice(offset, offset + Number(q('limit'))));
      }
      if (url.pathname === '/page') {
        const page = Number(q('page'));
        return json({ results: ITEMS.slice((page - 1) * PAGE, page * PAGE) });
      }
      if (url.pathname === '/link') {
        const start = Number(q('start') ?? 0);
        const link =
          start + PAGE < ITEMS.length
            ? {
                link: `<${origin}/link?start=${start + PAGE}>; rel="next", <${origin}/link?start=0>; rel="first"`,
              }
            : {};
        return json(ITEMS.slice(start, start + PAGE), link);
      }
      if (url.pathname === '/bundle') {
        const start = Number(q('_offset') ?? 0);
        const link = [{ relation: 'self', url: `${origin}/bundle?_offset=${start}` }];
        if (start + PAGE < ITEMS.length)
          link.push({ relation: 'next', url: `${origin}/bundle?_offset=${start + PAGE}` });
        return json({
          resourceType: 'Bundle',
          link,
          entry: ITEMS.slice(start, start + PAGE).map((resource) => ({ resource })),
        });
      }
      return res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'conflux-pages-'));
    writeFileSync(join(dir, 'pages.yaml'), DESCRIPTION);
    const description = await loadSystemDescription(join(dir, 'pages.yaml'));
    caller = createSystemCaller({
      systems: new Map([
        [
          'pages',
          {
            name: 'pages',
            descriptionFile: join(dir, 'pages.yaml'),
            baseUrl: origin,
            auth: { type: 'none' },
            timeoutMs: 2000,
            retry: { attempts: 1, backoffMs: 1 },
            source: { file: 'x', line: 1, column: 1 },
          },
        ],
      ]),
      descriptions: new Map([['pages', description]]),
      baseUrls: new Map([['pages', origin]]),
      resolveSecret: () => Promise.reject(new Error('none')),
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics(),
    });
  });
  after(async () => {
    await caller.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const collect = async (
    operation: string,
    pagination: SystemPagination,
    extra: { maxItems?: number; onLimit?: 'stop' | 'fail' } = {},
  ) => {
    const out: unknown[] = [];
    for await (const item of paginate(
      caller,
      'pages',
      operation,
      {},
      { correlationId: 'p', pagination, ...extra },
    ))
      out.push(item);
    return out;
  };

  const styles: [string, SystemPagination, (item: unknown) => unknown][] = [
    [
      'byCursor',
      { style: 'cursor', cursorParam: 'cursor', nextCursor: 'meta.next_cursor', items: 'data' },
      (item) => item,
    ],
    [
      'byOffset',
      { style: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: PAGE, items: '.' },
      (item) => item,
    ],
    ['byPage', { style: 'page', pageParam: 'page', firstPage: 1, items: 'results' }, (item) => item],
    ['byLink', { style: 'link', items: '.' }, (item) => item],
    [
      'byBundle',
      { style: 'next-url', nextUrl: 'link[relation=next].url', items: 'entry' },
      (item) => (item as { resource: unknown }).resource,
    ],
  ];
  for (const [operation, pagination, unwrap] of styles) {
    test(`${pagination.style}: every item once, in order`, async () => {
      const items = (await collect(operation, pagination)).map(unwrap);
      assert.deepEqual(items, ITEMS);
    });
  }

  test('the max-items guard stops the stream, or fails when asked', async () => {
    const before = hits.length;
    const items = await collect('byCursor', styles[0]?.[1] as SystemPagination, { maxItems: 7 });
    assert.equal(items.length, 7);
    assert.equal(hits.length - before, 2, 'no page is fetched beyond the guard');
    await assert.rejects(
      collect('byCursor', styles[0]?.[1] as SystemPagination, { maxItems: 7, onLimit: 'fail' }),
      { code: 'SYSTEM_PAGINATION_LIMIT' },
    );
  });

  test('Link header parsing (RFC 8288)', () => {
    assert.equal(
      nextLink('<https://a/x?page=3>; rel="next", <https://a/x?page=1>; rel="prev"'),
      'https://a/x?page=3',
    );
    assert.equal(nextLink('<https://a/1>; rel=first, <https://a/2>; rel="next last"'), 'https://a/2');
    assert.equal(nextLink('<https://a/1>; rel="prev"'), undefined);
  });

  test('a next URL on another origin is not followed with the system credentials', async () => {
    await assert.rejects(
      caller.call('pages', 'byLink', {}, { correlationId: 'x', url: 'http://127.0.0.2:1/steal' }),
      { code: 'SYSTEM_REQUEST_INVALID' },
    );
  });
});
