import type { IncomingMessage } from 'node:http';
import { ConfluxError } from '../errors/index.ts';

/** Reads a JSON body with a size cap; an empty body is `undefined`. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (!/json/i.test(type)) {
    throw new ConfluxError(
      'GATEWAY_BODY_INVALID',
      `Expected a JSON body (content-type application/json), got ${type || 'no content-type'}.`,
      {
        details: { expected: 'application/json', found: type },
      },
    );
  }
  try {
    return JSON.parse(text);
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

function tooLarge(maxBytes: number): ConfluxError {
  return new ConfluxError('HTTP_PAYLOAD_TOO_LARGE', `The body exceeds the limit of ${maxBytes} bytes.`, {
    details: { limit: maxBytes },
  });
}
