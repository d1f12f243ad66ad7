import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningPlatform } from '../../src/platform/index.ts';
import { CATALOG_OPENAPI, call, startProject, startUpstream, systemFile, writeProject } from './harness.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number; message?: string };
}

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

function attribute(span: OtlpSpan, key: string): unknown {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value === undefined ? undefined : Object.values(value)[0];
}

/**
 * OpenTelemetry over the wire: the gateway exports its spans with OTLP/HTTP to a collector on
 * loopback (here a plain HTTP server reading the OTLP JSON), one server span per request and one
 * client span per upstream call, in the caller's trace.
 */
describe('OpenTelemetry spans exported with OTLP', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let collector: Awaited<ReturnType<typeof startUpstream>>;
  const exported: OtlpSpan[] = [];
  const resources: unknown[] = [];
  const upstreamTraceparents: string[] = [];
  const contentTypes: string[] = [];

  before(async () => {
    collector = await startUpstream((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        contentTypes.push(String(req.headers['content-type']));
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: { resource: unknown; scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const resourceSpans of body.resourceSpans) {
          resources.push(resourceSpans.resource);
          for (const scope of resourceSpans.scopeSpans) exported.push(...scope.spans);
        }
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      });
    });
    upstream = await startUpstream((req, res) => {
      upstreamTraceparents.push(String(req.headers.traceparent));
      res.statusCode = req.url?.startsWith('/items/broken') ? 503 : 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: '7', name: 'Lamp' }));
    });
    project = writeProject({
      'specs/catalog.openapi.yaml': CATALOG_OPENAPI,
      'systems/catalog.yaml': systemFile('catalog', upstream.url),
      'apis/shop.yaml': `name: shop
basePath: /shop
auth: { type: none }
routes:
  - { method: GET, path: '/items/{id}', url: '${upstream.url}/items/{id}' }
  - method: GET
    path: '/bundle/{id}'
    composite:
      calls:
        - { id: item, system: catalog, operation: getItem }
        - { id: reviews, system: catalog, operation: getReviews }
      merge: '{ "item": item, "reviews": reviews }'
`,
    });
    platform = await startProject(project.dir, {
      OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/`,
      OTEL_SERVICE_NAME: 'conflux-under-test',
    });
  });

  after(async () => {
    await platform?.stop();
    await upstream?.close();
    await collector?.close();
    project?.remove();
  });

  test('a proxied request is a server span with a client span child, in the caller trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const answer = await call(platform.gatewayUrl, 'GET', '/shop/items/7', {
      headers: { traceparent: `00-${traceId}-${callerSpan}-01`, 'x-request-id': 'trace-test-1' },
    });
    assert.equal(answer.status, 200);
    const broken = await call(platform.gatewayUrl, 'GET', '/shop/items/broken', {
      headers: { traceparent: `00-${traceId}-${callerSpan}-01` },
    });
    assert.equal(broken.status, 503, 'the upstream status passes through');
    const composite = await call(platform.gatewayUrl, 'GET', '/shop/bundle/7', {
      headers: { traceparent: `00-${traceId}-${callerSpan}-01` },
    });
    assert.equal(composite.status, 200, composite.text);
    // Spans are exported in batches; stopping the platform flushes what is left.
    await platform.stop();

    assert.ok(
      contentTypes.every((type) => type.startsWith('application/json')),
      contentTypes.join(),
    );
    assert.match(JSON.stringify(resources), /conflux-under-test/);
    const servers = exported.filter((span) => span.kind === SERVER);
    const clients = exported.filter((span) => span.kind === CLIENT);
    assert.equal(servers.length, 3, JSON.stringify(exported.map((s) => s.name)));

    const first = servers.find((span) => attribute(span, 'conflux.correlation_id') === 'trace-test-1');
    assert.ok(first, 'the server span carries the correlation id');
    assert.equal(first.traceId, traceId, 'the caller trace is continued');
    assert.equal(first.parentSpanId, callerSpan, 'the caller span is the parent');
    assert.equal(first.name, 'GET /shop/items/{id}');
    assert.equal(attribute(first, 'http.route'), '/shop/items/{id}');
    assert.equal(Number(attribute(first, 'http.response.status_code')), 200);
    assert.equal(attribute(first, 'conflux.api'), 'shop');

    const firstClient = clients.find((span) => span.parentSpanId === first.spanId);
    assert.ok(firstClient, 'the upstream call is a child of the request span');
    assert.equal(firstClient.traceId, traceId);
    assert.equal(attribute(firstClient, 'url.full'), `${upstream.url}/items/7`);
    assert.equal(
      upstreamTraceparents[0],
      `00-${traceId}-${firstClient.spanId}-01`,
      'the upstream sees the client span as its parent',
    );

    const failed = servers.find((span) => Number(attribute(span, 'http.response.status_code')) === 503);
    assert.ok(failed);
    assert.equal(failed.status?.code, ERROR, 'a 5xx answer marks the server span as an error');
    const failedClient = clients.find((span) => span.parentSpanId === failed.spanId);
    assert.equal(failedClient?.status?.code, ERROR);

    const bundle = servers.find((span) => span.name === 'GET /shop/bundle/{id}');
    assert.ok(bundle);
    const calls = clients.filter((span) => span.parentSpanId === bundle.spanId).map((span) => span.name);
    assert.deepEqual(calls.sort(), ['catalog.getItem', 'catalog.getReviews']);
  });
});
