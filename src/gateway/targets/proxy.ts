import type { IncomingHttpHeaders } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { errors as undiciErrors } from 'undici';
import { ConfluxError } from '../../errors/index.ts';
import { formatTraceparent } from '../../observability/index.ts';
import type { TargetHandler } from '../config.ts';
import type { RequestContext } from '../context.ts';
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
  /** Resolved per request, so a reload or credential rotation applies to the next call. */
  resolve(ctx: RequestContext): Promise<{
    origin: string;
    path: string;
    method: string;
    timeoutMs: number;
    headers: Record<string, string>;
  }>;
}

export function createProxyTarget(options: ProxyTargetOptions): TargetHandler {
  return async (ctx) => {
    const upstream = await options.resolve(ctx);
    const headers = forwardHeaders(ctx);
    Object.assign(headers, upstream.headers);
    const hasBody = ctx.req.headers['content-length'] !== undefined || ctx.req.headers['transfer-encoding'] !== undefined;
    const started = performance.now();
    let response: Awaited<ReturnType<ReturnType<UpstreamPools['get']>['request']>>;
    try {
      response = await options.pools.get(upstream.origin).request({
        method: upstream.method as 'GET',
        path: upstream.path,
        headers,
        body: hasBody ? ctx.req : null,
        headersTimeout: upstream.timeoutMs,
        bodyTimeout: upstream.timeoutMs,
      });
    } catch (error) {
      throw upstreamError(error, upstream.origin);
    } finally {
      ctx.upstreamMs = performance.now() - started;
    }
    ctx.res.writeHead(response.statusCode, responseHeaders(response.headers));
    try {
      await pipeline(response.body, ctx.res);
    } catch (error) {
      // Headers are out: the client sees a cut stream, and the log says why.
      throw upstreamError(error, upstream.origin);
    }
  };
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
