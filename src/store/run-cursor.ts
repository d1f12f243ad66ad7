import { ConfluxError } from '../errors/index.ts';

/** Where a page of runs ended: list continues strictly after (older than) this position. */
export interface RunCursor {
  readonly createdAt: number;
  readonly id: string;
}

export function encodeRunCursor(cursor: RunCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeRunCursor(text: string): RunCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || !Number.isSafeInteger(value[0]) || typeof value[1] !== 'string') {
    throw new ConfluxError(
      'STORE_CURSOR_INVALID',
      'The cursor "before" was not returned by a previous page of runs',
      {
        details: { expected: 'the `next` value of a previous list call' },
      },
    );
  }
  return { createdAt: value[0] as number, id: value[1] };
}
