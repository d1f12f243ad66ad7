import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfluxError, toConfluxError } from '../errors/index.ts';
import {
  childTrace,
  correlationIdFrom,
  type Logger,
  type Metrics,
  parseTraceparent,
  type Span,
  type TraceContext,
  type Tracer,
} from '../observability/index.ts';
import { pickRoute } from './compile-routes.ts';
import type { CompiledRoute, GatewayConfig } from './config.ts';
import type { RequestContext } from './context.ts';
import { notFound } from './not-found.ts';
import type { AuditSink } from './ports.ts';
import { sendJson, sendProblem } from './respond.ts';
import type { RouteStats } from './route-stats.ts';
import type { TraceRing } from './trace-ring.ts';

export interface GatewayOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** OpenTelemetry: a server span per request (and targets' client spans) when enabled. */
  readonly tracer?: Tracer;
  /** Readiness: the store answers and a project is loaded. */
  readonly ready: () => Promise<boolean>;
  /** Recent request traces (admin: GET /api/v1/traces/{correlationId}). */
  readonly traces?: TraceRing;
  /** Live per-route numbers (admin: GET /api/v1/apis/{name}/stats). */
  readonly stats?: RouteStats;
  /** Receives one event per call of a partner API. */
  readonly audit?: AuditSink;
}

export interface Gateway {
  readonly server: Server;
  /** Swaps the configuration; requests already running finish on the one they started with. */
  apply(config: GatewayConfig): void;
  listen(host: string, port: number): Promise<AddressInfo>;
  /** Stops accepting, waits for in-flight requests up to the deadline, then closes the rest. */
  drain(timeoutMs: number): Promise<void>;
  inFlight(): number;
  /** The configuration new requests get. */
  current(): GatewayConfig | undefined;
}

const HOOKS_PREFIX = '/hooks/';

/**
 * The gateway's request lifecycle, in order:
 *   onRequest   correlation id, trace context, health endpoints
 *   route       match method + path in the current configuration generation
 *   policies    the route's chain (authentication first); any may reject
 *   target      proxy, flow, ...
 *   onResponse  access log line and metrics, whatever happened before
 */
export function createGateway(options: GatewayOptions): Gateway {
  let config: GatewayConfig | undefined;
  let draining = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const { tracer } = options;
  // The access line holds only fields named here (no headers, bodies or credentials), so it skips
  // the redaction pass every other log line gets: measurable at tens of thousands of lines/s.
  const accessLog = options.logger.child({}, { redact: [] });
  const server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 60_000 }, (req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
    handle(req, res).catch((error: unknown) =>
      options.logger.error({ err: error }, 'gateway handler crashed'),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [path = '/', query = ''] = (req.url ?? '/').split('?', 2) as [string?, string?];
    const correlationId = correlationIdFrom(header(req, 'x-request-id'));
    const parent = parseTraceparent(header(req, 'traceparent'));
    const span = tracer?.enabled === true ? serverSpan(tracer, req, path, parent) : undefined;
    const ctx: RequestContext = {
      req,
      res,
      correlationId,
      trace: span?.context ?? childTrace(parent),
      tracer,
      span,
      startedAt: process.hrtime.bigint(),
      path,
      query,
      route: undefined,
      params: {},
      consumer: undefined,
      upstreamMs: undefined,
      rejectedBy: undefined,
      timeline: [],
    };
    res.setHeader('x-request-id', correlationId);
    res.once('finish', () => onResponse(ctx));
    if (draining) res.setHeader('connection', 'close');
    try {
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') return await readiness(res);
      const generation = config;
      if (generation === undefined)
        throw new ConfluxError('GATEWAY_SHUTTING_DOWN', 'The gateway has no configuration yet.');
      if (path.startsWith(HOOKS_PREFIX)) return await webhook(ctx, generation);
      const result = generation.routes.match(req.headers.host, req.method ?? 'GET', path);
      if (result.kind === 'not-found') throw notFound(req.method ?? 'GET', path);
      if (result.kind === 'method-not-allowed') {
        res.setHeader('allow', result.allow.join(', '));
        throw new ConfluxError(
          'GATEWAY_METHOD_NOT_ALLOWED',
          `${req.method} is not allowed on ${path}; allowed: ${result.allow.join(', ')}.`,
          {
            details: { allow: result.allow },
          },
        );
      }
      // A version the API does not have at this path is as unknown as a path.
      const route = pickRoute(result.match.value, req.headers);
      if (route === undefined) throw notFound(req.method ?? 'GET', path);
      ctx.route = route;
      ctx.params = result.match.params;
      await runPolicies(ctx, route);
      // Version headers go out only once the caller may see the API (never on its 404).
      for (const [name, value] of route.headers) res.setHeader(name, value);
      const started = performance.now();
      try {
        await route.handler(ctx);
      } catch (error) {
        ctx.timeline.push({
          name: route.target,
          kind: 'target',
          decision: 'failed',
          ms: since(started),
          code: toConfluxError(error).code,
        });
        throw error;
      }
      ctx.timeline.push({ name: route.target, kind: 'target', decision: 'answered', ms: since(started) });
    } catch (error) {
      const failure = toConfluxError(error);
      if (failure.kind === 'unexpected')
        options.logger.error({ err: error, correlationId }, 'request failed');
      // The 404 of an invisible API must equal any 404, so it names no policy.
      const policy = failure.code === 'GATEWAY_ROUTE_NOT_FOUND' ? undefined : ctx.rejectedBy;
      sendProblem(res, failure, correlationId, { policy });
    }
  }

  async function runPolicies(ctx: RequestContext, route: CompiledRoute): Promise<void> {
    for (const policy of route.policies) {
      const started = performance.now();
      try {
        // Most policies decide synchronously; awaiting only real promises keeps them off the
        // microtask queue on the hot path.
        const pending = policy.apply(ctx);
        if (pending !== undefined) await pending;
      } catch (error) {
        ctx.rejectedBy = policy.name;
        ctx.timeline.push({
          name: policy.name,
          kind: 'policy',
          decision: 'rejected',
          ms: since(started),
          code: toConfluxError(error).code,
        });
        throw error;
      }
      ctx.timeline.push({ name: policy.name, kind: 'policy', decision: 'passed', ms: since(started) });
    }
  }

  async function readiness(res: ServerResponse): Promise<void> {
    const ready = config !== undefined && !draining && (await options.ready().catch(() => false));
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
  }

  async function webhook(ctx: RequestContext, generation: GatewayConfig): Promise<void> {
    const name = ctx.path.slice(HOOKS_PREFIX.length).replace(/\/+$/, '');
    // `<first segment>/*` entries take every path below it (the callback URLs of waiting runs).
    const endpoint = generation.webhooks.get(name) ?? generation.webhooks.get(`${name.split('/')[0]}/*`);
    if (endpoint === undefined)
      throw new ConfluxError('GATEWAY_ROUTE_NOT_FOUND', `No webhook is registered at ${ctx.path}.`);
    if (ctx.req.method !== 'POST') {
      ctx.res.setHeader('allow', 'POST');
      throw new ConfluxError(
        'GATEWAY_METHOD_NOT_ALLOWED',
        `Webhooks accept POST only, got ${ctx.req.method}.`,
      );
    }
    await endpoint.handler(ctx);
  }

  function onResponse(ctx: RequestContext): void {
    const seconds = Number(process.hrtime.bigint() - ctx.startedAt) / 1e9;
    const api = ctx.route?.api ?? '';
    const route = ctx.route?.template ?? (ctx.path.startsWith(HOOKS_PREFIX) ? ctx.path : 'unmatched');
    const status = ctx.res.statusCode;
    options.metrics.httpRequests.inc({
      listener: 'gateway',
      api,
      route,
      method: ctx.req.method ?? '',
      status,
    });
    options.metrics.httpDuration.observe({ listener: 'gateway', api, route }, seconds);
    if (ctx.span !== undefined) endServerSpan(ctx, route, status);
    if (ctx.path === '/healthz' || ctx.path === '/readyz') return;
    const totalMs = round(seconds * 1000);
    const version = ctx.route?.version ?? '';
    if (ctx.route !== undefined) {
      options.stats?.record(api, ctx.route.method, route, version, status, totalMs);
      if (ctx.route.audited && ctx.consumer !== undefined) {
        options.audit?.record({
          at: Date.now(),
          actor: ctx.consumer.name,
          action: 'gateway.partner-call',
          api,
          route,
          status,
          correlationId: ctx.correlationId,
          details: { method: ctx.req.method, path: ctx.path, version, keyId: ctx.consumer.keyId },
        });
      }
    }
    options.traces?.add({
      correlationId: ctx.correlationId,
      at: Date.now(),
      method: ctx.req.method ?? '',
      path: ctx.path,
      api,
      version,
      route,
      consumer: ctx.consumer?.name,
      status,
      rejectedBy: ctx.rejectedBy,
      steps: ctx.timeline,
      upstreamMs: ctx.upstreamMs === undefined ? undefined : round(ctx.upstreamMs),
      totalMs,
    });
    accessLog.info({
      msg: 'request',
      correlationId: ctx.correlationId,
      traceId: ctx.trace.traceId,
      method: ctx.req.method,
      path: ctx.path,
      api,
      version: version === '' ? undefined : version,
      route,
      status,
      consumer: ctx.consumer?.name,
      rejectedBy: ctx.rejectedBy,
      bytes: Number(ctx.res.getHeader('content-length') ?? 0) || undefined,
      upstreamMs: ctx.upstreamMs === undefined ? undefined : round(ctx.upstreamMs),
      totalMs,
    });
  }

  return {
    server,
    apply(next) {
      config = next;
    },
    listen(host, port) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async drain(timeoutMs) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        const allDone = new Promise<void>((resolve) => {
          drained = resolve;
        });
        const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
        await Promise.race([allDone, deadline]);
      }
      server.closeAllConnections();
      await closed;
    },
    inFlight: () => inFlight,
    current: () => config,
  };
}

/** Semantic conventions for HTTP server spans; the name gains the route once it is known. */
function serverSpan(
  tracer: Tracer,
  req: IncomingMessage,
  path: string,
  parent: TraceContext | undefined,
): Span {
  const method = req.method ?? 'GET';
  return tracer.startSpan(method, 'server', parent, {
    'http.request.method': method,
    'url.path': path,
    'url.scheme': 'http',
    'client.address': req.socket.remoteAddress ?? '',
    'user_agent.original': header(req, 'user-agent') ?? '',
  });
}

function endServerSpan(ctx: RequestContext, route: string, status: number): void {
  const span = ctx.span as Span;
  if (ctx.route !== undefined) span.updateName(`${ctx.req.method ?? 'GET'} ${route}`);
  span.setAttributes({
    'http.response.status_code': status,
    ...(ctx.route === undefined
      ? {}
      : { 'http.route': route, 'conflux.api': ctx.route.api, 'conflux.api.version': ctx.route.version }),
    ...(ctx.consumer === undefined ? {} : { 'conflux.consumer': ctx.consumer.name }),
    ...(ctx.rejectedBy === undefined ? {} : { 'conflux.rejected_by': ctx.rejectedBy }),
    'conflux.correlation_id': ctx.correlationId,
  });
  // Server spans are errors only for 5xx (OpenTelemetry HTTP conventions): a 4xx is the caller's.
  span.end(status >= 500 ? { code: String(status), message: `answered ${status}` } : undefined);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function since(started: number): number {
  return round(performance.now() - started);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
