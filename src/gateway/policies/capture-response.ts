import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export interface CapturedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * Holds back what a target writes to `res` (status, headers, body) and hands it to `done`
 * instead, which may rewrite it and must send it with the returned `send`. Targets stream into
 * `res` (pipeline, writeHead, end) and need not know: the instance's methods are swapped for
 * this response only. Used by the response cache and response transforms. Returns `restore`,
 * for when the target fails before it answers and the error must reach the client as is.
 */
export function captureResponse(
  res: ServerResponse,
  done: (captured: CapturedResponse, send: (response: CapturedResponse) => void) => void,
): () => void {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end };
  const chunks: Buffer[] = [];
  let status = 200;
  let written: OutgoingHttpHeaders = {};
  const send = (response: CapturedResponse): void => {
    Object.assign(res, original);
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    res.writeHead(response.status, { ...response.headers, 'content-length': String(response.body.length) });
    res.end(response.body);
  };
  const collect = (chunk: unknown, encoding?: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk as Uint8Array),
    );
  };
  res.writeHead = ((code: number, ...rest: unknown[]) => {
    status = code;
    const headers = rest.find((arg) => typeof arg === 'object' && arg !== null);
    if (headers !== undefined) written = headers as OutgoingHttpHeaders;
    return res;
  }) as ServerResponse['writeHead'];
  res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    collect(chunk, encoding);
    const cb = [encoding, callback].find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (cb !== undefined) process.nextTick(cb);
    return true;
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, encoding?: unknown) => {
    collect(chunk, encoding);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries({ ...res.getHeaders(), ...written })) {
      if (value === undefined) continue;
      headers[name.toLowerCase()] = Array.isArray(value) ? value : String(value);
    }
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    done(
      {
        status: status === 200 && res.statusCode !== 200 ? res.statusCode : status,
        headers,
        body: Buffer.concat(chunks),
      },
      send,
    );
    return res;
  }) as ServerResponse['end'];
  return () => {
    Object.assign(res, original);
  };
}
