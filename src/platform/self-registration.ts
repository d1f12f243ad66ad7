import { randomBytes } from 'node:crypto';
import { ConfluxError } from '../errors/index.ts';
import type { SelfRegistration } from '../gateway/index.ts';
import { createConsumerService } from '../identity/index.ts';
import type { Core } from './core.ts';

/**
 * Self-service registration for public APIs (`registration:` in an API file), over identity's
 * consumers and keys: a public consumer on the API's plan, allowed that API only, with one key.
 * The consumer name is the application's name plus a random suffix, so a caller can neither
 * take a name an organisation will need nor learn which names exist.
 */
export function createSelfRegistration(core: Core): SelfRegistration {
  const consumers = createConsumerService({ store: core.store, directory: core.consumers, keys: core.keys });
  async function ensurePlan(plan: string, api: string): Promise<void> {
    if ((await core.store.plans.get(plan)) !== undefined) return;
    // The API file declares the plan; its limits are the API's `plans:` tiers, so the record
    // itself only has to exist for consumers to be on it.
    await consumers
      .createPlan({
        name: plan,
        description: `Plan of self-registered consumers (registration of API ${api})`,
        rateLimit: null,
        quota: null,
        apis: null,
        scopes: [],
      })
      .catch((error: unknown) => {
        // Two first registrations at once: the other one created it.
        if (!(error instanceof ConfluxError && error.code === 'AUTH_PLAN_EXISTS')) throw error;
      });
  }
  return {
    async register({ application, email, api, plan }) {
      await ensurePlan(plan, api);
      const slug = application
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
      const name = `${slug || 'app'}-${randomBytes(4).toString('hex')}`;
      await consumers.create({
        name,
        type: 'public',
        description: `${application} (self-registered for API ${api})`,
        contact: { name: application, email },
        apis: [api],
        plan,
        scopes: [],
      });
      const issued = await core.keys.create({ consumer: name, name: 'self-service registration' });
      return { consumer: name, plan, apis: [api], key: issued.key, keyPrefix: issued.record.prefix };
    },
  };
}
