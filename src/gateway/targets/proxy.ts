import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Dispatcher, errors as undiciErrors } from 'undici';
import { ConfluxError, isConfluxError } from '../../errors/index.ts';
import { formatTraceparent, type Span } from '../../observability/index.ts';
import type { RetrySettings } from '../../project/index.ts';
import { quotaHeaders } from '../../systems/index.ts';
import type { TargetHandler } from '../config.ts';
import type { RequestContext } from '../context.ts';
import type { OperationBudget } from '../ports.ts';
import type { CircuitBreaker } from '../resilience/circuit-breaker.ts';
import { isRetryableStatus, mayRetry, retryDelay } from '../resilience/retry.ts';
import type { UpstreamPools } from '../upstream-pools.ts';

/** RFC 9110 §7.6.1: headers meaningful for one connection only, never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

export interface ProxyTargetOptions {
  readonly pools: UpstreamPools;
  /** Retries of requests that are safe to repeat; absent or attempts 1: none. */
  readonly retry?: RetrySettings | undefined;
  /** The upstream's circuit breaker, when the route configures one. */
  readonly breaker?: CircuitBreaker | undefined;
  /** A system operation's upstream budget: every try takes a place in it (shared with flows). */
  readonly budget?: OperationBudget | undefined;
  /** Resolved per request, so a reload or credential rotation applies to the next call. */
  resolve(ctx: RequestContext): Promise<{
    origin: string;
    path: string;
    method: string;
    timeoutMs: number;
    headers: Record<string, string>;
  }>;
}

/**
 * Forwards a request to its upstream and streams the answer back. Bodies stream both ways
 * (never buffered here, unless a policy already buffered the request body into ctx.body);
 * the upstream's own status, headers (minus hop-by-hop ones) and body pass through unchanged.
 * Timeouts are 504, connection failures 502, an open circuit 503.
 */
export function createProxyTarget(options: ProxyTargetOptions): TargetHandler {
  const { retry, breaker } = options;
  return async (ctx) => {
    const upstream = await options.resolve(ctx);
    const headers = forwardHeaders(ctx);
    Object.assign(headers, upstream.headers);
    const length = ctx.req.headers['content-length'];
    const streamed =
      ctx.body === undefined &&
      ((length !== undefined && length !== '0') || ctx.req.headers['transfer-encoding'] !== undefined);
    if (ctx.body !== undefined) headers['content-length'] = String(ctx.body.length);
    // A streamed body is gone after one attempt, so only body-less or buffered requests retry.
    const attempts =
      retry !== undefined && !streamed && mayRetry(upstream.method, ctx.req.headers) ? retry.attempts : 1;
    const pool = options.pools.get(upstream.origin);
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      // The budget first: a half-open breaker's probe must not wait in it (or fail for want of it).
      // Routes to plain URLs have no budget: no await (and no microtask) on their hot path.
      const lease =
        options.budget === undefined ? undefined : await takeBudget(ctx, options.budget, upstream.timeoutMs);
      if (breaker !== undefined && !breaker.tryAcquire()) {
        await lease?.finish();
        throw circuitOpen(ctx, upstream.origin, breaker);
      }
      const span = clientSpan(ctx, upstream, attempt);
      if (span !== undefined) headers.traceparent = formatTraceparent(span.context);
      let response: Dispatcher.ResponseData;
      try {
        response = await pool.request({
          method: upstream.method as Dispatcher.HttpMethod,
          path: upstream.path,
          headers,
          // A policy that had to read the body (threat protection, validation, a transform) left it in ctx.body.
          body: ctx.body ?? (streamed ? ctx.req : null),
          headersTimeout: upstream.timeoutMs,
          bodyTimeout: upstream.timeoutMs,
        });
      } catch (error) {
        await lease?.finish();
        breaker?.onFailure();
        const failure = upstreamError(error, upstream.origin);
        span?.end({ code: failure.code, message: failure.message });
        const delay =
          attempt < attempts && retry !== undefined ? retryDelay(attempt, retry, undefined) : undefined;
        if (delay !== undefined) {
          await sleep(delay);
          continue;
        }
        ctx.upstreamMs = performance.now() - started;
        throw failure;
      }
      span?.setAttributes({ 'http.response.status_code': response.statusCode });
      // A 429 (or 503 with Retry-After, or a used-up quota) pauses the system's whole budget.
      const answer = {
        status: response.statusCode,
        retryAfter: single(response.headers['retry-after']),
        quota: quotaHeaders((name) => single(response.headers[name])),
      };
      if (response.statusCode >= 500) breaker?.onFailure();
      else breaker?.onSuccess();
      if (attempt < attempts && retry !== undefined && isRetryableStatus(response.statusCode)) {
        const delay = retryDelay(attempt, retry, single(response.headers['retry-after']));
        if (delay !== undefined) {
          span?.end({ code: String(response.statusCode), message: 'retried' });
          await lease?.finish(answer);
          await response.body.dump();
          await sleep(delay);
          continue;
        }
      }
      ctx.upstreamMs = performance.now() - started;
      try {
        ctx.res.writeHead(response.statusCode, responseHeaders(response.headers));
        await pipeBody(response.body, ctx.res);
      } catch (error) {
        // Headers are out: the client sees a cut stream, and the log says why.
        const failure = upstreamError(error, upstream.origin);
        span?.end({ code: failure.code, message: failure.message });
        throw failure;
      } finally {
        await lease?.finish(answer);
      }
      span?.end(
        response.statusCode >= 500
          ? { code: String(response.statusCode), message: `upstream answered ${response.statusCode}` }
          : undefined,
      );
      return;
    }
  };
}

/** An OpenTelemetry client span per attempt, child of the request's span; none when tracing is off. */
function clientSpan(
  ctx: RequestContext,
  upstream: { origin: string; path: string; method: string },
  attempt: number,
): Span | undefined {
  if (ctx.tracer?.enabled !== true) return undefined;
  const url = new URL(upstream.origin);
  return ctx.tracer.startSpan(upstream.method, 'client', ctx.trace, {
    'http.request.method': upstream.method,
    'server.address': url.hostname,
    'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    'url.full': `${upstream.origin}${upstream.path.split('?')[0]}`,
    ...(attempt > 1 ? { 'http.request.resend_count': attempt - 1 } : {}),
  });
}

/** A place in the budget for one try; when none came within the timeout, 503 with Retry-After. */
async function takeBudget(ctx: RequestContext, budget: OperationBudget, timeoutMs: number) {
  try {
    return await budget.acquire({ timeoutMs });
  } catch (error) {
    const ms = isConfluxError(error) ? error.details.retryAfterMs : undefined;
    if (typeof ms === 'number') ctx.res.setHeader('retry-after', String(Math.max(1, Math.ceil(ms / 1000))));
    throw error;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function circuitOpen(ctx: RequestContext, origin: string, breaker: CircuitBreaker): ConfluxError {
  const seconds = Math.max(1, Math.ceil(breaker.retryAfterMs() / 1000));
  ctx.res.setHeader('retry-after', String(seconds));
  return new ConfluxError(
    'GATEWAY_CIRCUIT_OPEN',
    `The circuit to ${origin} is open after repeated failures; retry in ${seconds} s.`,
    {
      details: { upstream: origin, retryAfterSeconds: seconds },
    },
  );
}

function forwardHeaders(ctx: RequestContext): Record<string, string> {
  const source = ctx.req.headers;
  const out: Record<string, string> = {};
  const connectionListed = listed(source.connection);
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionListed.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const clientIp = ctx.req.socket.remoteAddress ?? 'unknown';
  const host = source.host ?? '';
  const proto = 'http';
  out['x-forwarded-for'] = source['x-forwarded-for'] ? `${source['x-forwarded-for']}, ${clientIp}` : clientIp;
  out['x-forwarded-host'] = host;
  out['x-forwarded-proto'] = proto;
  out.forwarded = `for=${quoteForwarded(clientIp)};host=${quoteForwarded(host)};proto=${proto}`;
  out['x-request-id'] = ctx.correlationId;
  out.traceparent = formatTraceparent(ctx.trace);
  return out;
}

function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const connectionListed = listed(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionListed.has(name)) continue;
    out[name] = value;
  }
  return out;
}

function listed(connection: string | string[] | undefined): Set<string> {
  if (connection === undefined) return new Set();
  const text = Array.isArray(connection) ? connection.join(',') : connection;
  return new Set(text.split(',').map((token) => token.trim().toLowerCase()));
}

/** RFC 7239 §6: IPv6 addresses and anything with a colon must be quoted. */
function quoteForwarded(value: string): string {
  return /^[\w.-]+$/.test(value) ? value : `"${value.replace(/"/g, '')}"`;
}

function upstreamError(error: unknown, origin: string): ConfluxError {
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
    return new ConfluxError('GATEWAY_UPSTREAM_TIMEOUT', `The upstream ${origin} did not answer in time.`, {
      cause: error,
      details: { upstream: origin },
    });
  }
  return new ConfluxError('GATEWAY_UPSTREAM_UNREACHABLE', `The upstream ${origin} could not be reached.`, {
    cause: error,
    details: { upstream: origin },
  });
}

/**
 * Streams the upstream body to the client with backpressure. Hand-rolled rather than
 * stream.pipeline, which allocates an AbortController (and a DOMException on every normal
 * finish): measurable on the proxy's hot path. A client that goes away ends the upstream body;
 * an upstream that fails mid-body cuts the client's response.
 */
function pipeBody(body: Readable, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      res.destroy(error);
      reject(error);
    };
    body.once('error', onError);
    res.once('close', () => {
      body.off('error', onError);
      if (!res.writableFinished) body.destroy();
      resolve();
    });
    body.pipe(res);
  });
}
