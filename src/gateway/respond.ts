import type { ServerResponse } from 'node:http';
import { type ConfluxError, PROBLEM_CONTENT_TYPE, toProblem } from '../errors/index.ts';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function sendProblem(
  res: ServerResponse,
  error: ConfluxError,
  correlationId: string,
  extra: { policy?: string | undefined; headers?: Record<string, string> } = {},
): void {
  if (res.headersSent) {
    // The upstream already started answering; all we can do is cut the stream so the client
    // sees a truncated response instead of a silently complete one.
    res.destroy(error);
    return;
  }
  const problem = toProblem(error, correlationId, res.req.url);
  if (extra.policy !== undefined) problem.policy = extra.policy;
  const payload = JSON.stringify(problem);
  res.writeHead(error.status, {
    ...extra.headers,
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
