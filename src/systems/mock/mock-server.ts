import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfluxError, PROBLEM_CONTENT_TYPE, toConfluxError, toProblem } from '../../errors/index.ts';
import type { Logger } from '../../observability/index.ts';
import { isJsonMediaType } from '../description/media-type.ts';
import type { SystemDescription } from '../types.ts';
import { createBaseAnswers } from './base-answer.ts';
import { createIdempotencyCache } from './idempotency-cache.ts';
import { createMockJournal, type MockJournal } from './mock-journal.ts';
import { createMockState } from './mock-state.ts';
import { readRawBody } from './read-raw-body.ts';
import { createRequestChecker } from './request-validation.ts';
import { createRouteTable } from './route-table.ts';
import { startSoapMockServer } from './soap-mock.ts';

export interface MockServerOptions {
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly logger?: Logger;
  /** Seed of the data generator: the same seed gives the same generated answers. */
  readonly seed?: number;
}

export interface MockServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Serves a system from its description over node:http: requests are matched and validated
 * like the real system would, answers come from the description's examples or generated data,
 * collections keep simple CRUD state, and `Idempotency-Key` repeats get the first answer.
 * `GET /__mock/calls` and `GET /__mock/requests?operation=X` show what was called.
 */
export async function startMockServer(
  description: SystemDescription,
  options: MockServerOptions = {},
): Promise<MockServer> {
  if (description.kind === 'wsdl') return startSoapMockServer(description, options);
  const seed = options.seed ?? 1;
  // Channel operations (AsyncAPI) travel over brokers, not HTTP: the mock has no route for them.
  const match = createRouteTable(
    [...description.operations.values()].filter((operation) => operation.channel === undefined),
  );
  const check = createRequestChecker();
  const baseAnswer = createBaseAnswers(seed);
  const applyState = createMockState(seed);
  const idempotency = createIdempotencyCache();
  const journal = createMockJournal();
  const logger = options.logger;

  async function answer(request: IncomingMessage, url: URL): Promise<Answer> {
    const method = (request.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/__mock/')) return inspect(url, journal);
    const route = match(method, url.pathname);
    if (route.kind === 'not-found') {
      throw new ConfluxError('MOCK_NOT_FOUND', `${description.title} has no operation at ${url.pathname}.`, {
        details: { path: url.pathname },
      });
    }
    if (route.kind === 'method-not-allowed') {
      const allow = route.allow.join(', ');
      throw new ConfluxError('MOCK_METHOD_NOT_ALLOWED', `${url.pathname} accepts ${allow}, not ${method}.`, {
        details: { allow: route.allow },
      });
    }
    const operation = route.operation;
    const rawBody = await readRawBody(request);
    const idempotencyKey = header(request, 'idempotency-key');
    const record = (status: number, replayed: boolean) =>
      journal.record({
        operation: operation.id,
        method,
        path: url.pathname,
        status,
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        replayed,
        at: new Date().toISOString(),
      });

    const checked = check(operation, {
      params: route.params,
      query: url.searchParams,
      headers: request.headers,
      contentType: header(request, 'content-type'),
      rawBody,
    });
    if (checked.errors.length > 0) {
      record(400, false);
      const summary = checked.errors.map((error) => `${error.field} ${error.message}`).join('; ');
      throw new ConfluxError(
        'MOCK_REQUEST_INVALID',
        `${method} ${url.pathname} (${operation.id}): ${summary}`,
        {
          details: { operation: operation.id, errors: checked.errors },
        },
      );
    }

    const replayable = idempotencyKey !== undefined && !SAFE_METHODS.has(method);
    const stored = replayable ? idempotency.get(method, url.pathname, idempotencyKey) : undefined;
    if (stored !== undefined) {
      record(stored.status, true);
      return { ...stored, headers: { 'idempotent-replayed': 'true' } };
    }

    const base = baseAnswer(operation);
    const stateful = applyState({
      operation,
      params: route.params,
      path: url.pathname,
      body: checked.body,
      base: { status: base.status, body: base.body },
      responseSchema: base.schema,
    });
    if (stateful !== undefined && 'notFound' in stateful) {
      record(404, false);
      throw new ConfluxError('MOCK_NOT_FOUND', `${operation.id}: ${stateful.notFound}.`, {
        details: { path: url.pathname },
      });
    }
    const status = stateful?.status ?? base.status;
    const body = stateful === undefined ? base.body : stateful.body;
    const result = render(status, body, base.contentType);
    if (replayable) idempotency.set(method, url.pathname, idempotencyKey, result);
    record(status, false);
    return result;
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://mock.invalid');
    answer(request, url)
      .catch((error: unknown) => problemAnswer(error, url, logger))
      .then((result) => send(response, request, result))
      .catch((error: unknown) => {
        logger?.error({ err: error }, 'mock response failed');
        response.destroy();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Keep-alive sockets of clients (connection pools) would hold close() open forever.
        server.closeAllConnections();
      }),
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function render(status: number, body: unknown, contentType: string | undefined): Answer {
  if (body === undefined) return { status, contentType: 'application/json', body: '' };
  if (typeof body === 'string' && contentType !== undefined && !isJsonMediaType(contentType)) {
    return { status, contentType, body };
  }
  return { status, contentType: 'application/json', body: JSON.stringify(body) };
}

function inspect(url: URL, journal: MockJournal): Answer {
  if (url.pathname === '/__mock/calls') return render(200, journal.calls(), undefined);
  if (url.pathname === '/__mock/requests') {
    return render(200, journal.requests(url.searchParams.get('operation') ?? undefined), undefined);
  }
  throw new ConfluxError(
    'MOCK_NOT_FOUND',
    `No mock inspection endpoint at ${url.pathname}; try /__mock/calls or /__mock/requests.`,
  );
}

function problemAnswer(error: unknown, url: URL, logger: Logger | undefined): Answer {
  const failure = toConfluxError(error);
  if (failure.kind === 'unexpected') logger?.error({ err: error, path: url.pathname }, 'mock failed');
  else logger?.debug({ code: failure.code, path: url.pathname }, failure.message);
  const headers: Record<string, string> =
    failure.code === 'MOCK_METHOD_NOT_ALLOWED'
      ? { allow: (failure.details.allow as string[]).join(', ') }
      : {};
  return {
    status: failure.status,
    contentType: PROBLEM_CONTENT_TYPE,
    body: JSON.stringify(toProblem(failure, undefined, url.pathname)),
    headers,
  };
}

function send(response: ServerResponse, request: IncomingMessage, answer: Answer): void {
  const headers: Record<string, string> = { 'x-mock': 'conflux', ...answer.headers };
  const idempotencyKey = header(request, 'idempotency-key');
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  const correlation = header(request, 'x-request-id');
  if (correlation !== undefined) headers['x-request-id'] = correlation;
  if (answer.body !== '' || answer.contentType === PROBLEM_CONTENT_TYPE)
    headers['content-type'] = answer.contentType;
  const noBody = answer.status === 204 || answer.status === 304 || request.method === 'HEAD';
  response.writeHead(answer.status, headers);
  response.end(noBody ? undefined : answer.body);
}
