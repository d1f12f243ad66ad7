import { ConfluxError } from '../../errors/index.ts';
import type { TargetHandler } from '../config.ts';
import { bufferBody, bufferedJson } from '../policies/body.ts';
import { sendJson } from '../respond.ts';

/** Resumes a flow's `wait` step with the request body; false when the token names no open wait. */
export type DeliverCallback = (token: string, payload: unknown) => Promise<boolean>;

/** `POST /hooks/_callback/<token>`: the callback URL a waiting run handed out. */
export function createCallbackTarget(deliver: DeliverCallback, maxBodyBytes: number): TargetHandler {
  return async (ctx) => {
    const token = ctx.path.split('/').pop() ?? '';
    await bufferBody(ctx, maxBodyBytes);
    if (!(await deliver(token, bufferedJson(ctx) ?? null))) {
      throw new ConfluxError(
        'GATEWAY_ROUTE_NOT_FOUND',
        'No run waits for this callback (unknown, expired or already used).',
      );
    }
    sendJson(ctx.res, 202, { status: 'resumed' });
  };
}
