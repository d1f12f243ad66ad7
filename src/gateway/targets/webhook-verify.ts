import type { WebhookSignature } from '../../project/index.ts';
import type { TargetHandler } from '../config.ts';
import { bufferBody } from '../policies/body.ts';

/** Checks a signed webhook (signature, timestamp, replay); throws a ConfluxError to refuse it. */
export type WebhookVerify = (
  path: string,
  signature: WebhookSignature,
  request: {
    readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
    readonly body: Buffer;
  },
) => Promise<void>;

/**
 * Verifies a webhook before its flow target runs: the raw body is buffered (signatures cover
 * bytes), checked, and left in ctx.body for the target to parse.
 */
export function withWebhookVerification(
  handler: TargetHandler,
  path: string,
  signature: WebhookSignature,
  verify: WebhookVerify,
  maxBodyBytes: number,
): TargetHandler {
  return async (ctx) => {
    const body = await bufferBody(ctx, maxBodyBytes);
    await verify(path, signature, { headers: ctx.req.headers, body });
    await handler(ctx);
  };
}
