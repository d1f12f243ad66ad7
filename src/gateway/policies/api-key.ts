import { ConfluxError } from '../../errors/index.ts';
import type { ApiKeyService } from '../../identity/index.ts';
import type { Policy } from '../config.ts';
import { assertApiAllowed } from './jwt.ts';

export interface ApiKeyPolicyOptions {
  /** Header that carries the key (lower-case). */
  readonly header: string;
  readonly keys: ApiKeyService;
}

export function createApiKeyPolicy(options: ApiKeyPolicyOptions): Policy {
  const header = options.header.toLowerCase();
  return {
    name: 'api-key',
    async apply(ctx) {
      const presented = ctx.req.headers[header];
      if (typeof presented !== 'string' || presented === '') {
        throw new ConfluxError('AUTH_KEY_MISSING', `Send your API key in the ${header} header.`, {
          details: { header },
        });
      }
      const record = await options.keys.verify(presented);
      ctx.consumer = {
        name: record.consumer,
        keyId: record.id,
        scopes: record.scopes,
        ...(record.consumerType === undefined ? {} : { type: record.consumerType }),
        ...(record.plan === undefined ? {} : { plan: record.plan }),
        ...(record.planLimits === undefined ? {} : { planLimits: record.planLimits }),
      };
      assertApiAllowed(ctx, record.apis);
      // The consumer's credential is ours to check, never the upstream's to see.
      delete ctx.req.headers[header];
    },
  };
}
