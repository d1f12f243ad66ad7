import type { IncomingMessage } from 'node:http';
import { ConfluxError } from '../../errors/index.ts';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function readRawBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new ConfluxError(
        'HTTP_PAYLOAD_TOO_LARGE',
        `The mock accepts request bodies up to ${MAX_BODY_BYTES} bytes.`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
