import { ConfluxError } from '../../errors/index.ts';
import type { RequestContext } from '../context.ts';

/**
 * Reads the request body into ctx.body once, for the policies that must see it; targets then
 * send ctx.body instead of the (consumed) stream. The cap is enforced while reading, so a
 * chunked body without Content-Length cannot exceed it either.
 */
export async function bufferBody(ctx: RequestContext, maxBytes: number): Promise<Buffer> {
  if (ctx.body !== undefined) return ctx.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw bodyTooLarge(maxBytes);
    chunks.push(chunk);
  }
  const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
  ctx.body = body;
  return body;
}

/** Replaces the body a target will send, keeping Content-Length truthful. */
export function replaceBody(ctx: RequestContext, body: Buffer, contentType?: string): void {
  ctx.body = body;
  ctx.req.headers['content-length'] = String(body.length);
  delete ctx.req.headers['transfer-encoding'];
  if (contentType !== undefined) ctx.req.headers['content-type'] = contentType;
}

export function hasRequestBody(ctx: RequestContext): boolean {
  const headers = ctx.req.headers;
  return (
    (headers['content-length'] !== undefined && headers['content-length'] !== '0') ||
    headers['transfer-encoding'] !== undefined
  );
}

export function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /[/+]json\b/i.test(contentType);
}

/** The buffered body as JSON (undefined when empty); a body that is not JSON is the caller's 400. */
export function bufferedJson(ctx: RequestContext): unknown {
  const body = ctx.body;
  if (body === undefined || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ConfluxError(
      'GATEWAY_BODY_INVALID',
      `The body is not valid JSON: ${(error as Error).message}.`,
      {
        details: { expected: 'a JSON document' },
      },
    );
  }
}

export function bodyTooLarge(maxBytes: number): ConfluxError {
  return new ConfluxError('HTTP_PAYLOAD_TOO_LARGE', `The body exceeds the limit of ${maxBytes} bytes.`, {
    details: { limit: maxBytes },
  });
}
