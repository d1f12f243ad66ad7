import { ConfluxError } from '../errors/index.ts';
import type { ConsumerPatch, ConsumerRecord, PlanPatch, PlanRecord, Store } from '../store/index.ts';
import type { ApiKeyService } from './api-key-service.ts';
import type { ConsumerDirectory } from './consumer-directory.ts';

export type NewConsumer = Omit<ConsumerRecord, 'createdAt' | 'updatedAt' | 'disabledAt'>;
export type NewPlan = Omit<PlanRecord, 'createdAt' | 'updatedAt'>;

/**
 * Consumers and plans, with the rules that span records: a consumer's plan must exist, and
 * every change is seen by this process at once and by others within the directory's cache
 * bound (two seconds).
 */
export interface ConsumerService {
  create(input: NewConsumer): Promise<ConsumerRecord>;
  get(name: string): Promise<ConsumerRecord>;
  list(): Promise<ConsumerRecord[]>;
  update(name: string, patch: ConsumerPatch): Promise<{ before: ConsumerRecord; after: ConsumerRecord }>;
  /** Disabled consumers are refused by every credential they hold. */
  setDisabled(name: string, disabled: boolean): Promise<{ before: ConsumerRecord; after: ConsumerRecord }>;
  /** Deletes the consumer and revokes all its keys. */
  delete(name: string): Promise<ConsumerRecord>;
  createPlan(input: NewPlan): Promise<PlanRecord>;
  getPlan(name: string): Promise<PlanRecord>;
  listPlans(): Promise<PlanRecord[]>;
  updatePlan(name: string, patch: PlanPatch): Promise<{ before: PlanRecord; after: PlanRecord }>;
  deletePlan(name: string): Promise<PlanRecord>;
}

export function createConsumerService(options: {
  readonly store: Pick<Store, 'consumers' | 'plans'>;
  readonly directory: ConsumerDirectory;
  readonly keys: ApiKeyService;
  readonly now?: () => number;
}): ConsumerService {
  const { store, directory } = options;
  const now = options.now ?? Date.now;

  const notFound = (name: string) =>
    new ConfluxError('AUTH_CONSUMER_NOT_FOUND', `No consumer named ${name}.`, {
      details: { consumer: name },
    });
  const planNotFound = (name: string) =>
    new ConfluxError('AUTH_PLAN_NOT_FOUND', `No plan named ${name}; create it first (POST /api/v1/plans).`, {
      details: { plan: name },
    });

  async function existing(name: string): Promise<ConsumerRecord> {
    const record = await store.consumers.get(name);
    if (record === undefined) throw notFound(name);
    return record;
  }
  async function existingPlan(name: string): Promise<PlanRecord> {
    const record = await store.plans.get(name);
    if (record === undefined) throw planNotFound(name);
    return record;
  }

  return {
    async create(input) {
      if (input.plan !== null) await existingPlan(input.plan);
      if ((await store.consumers.get(input.name)) !== undefined) {
        throw new ConfluxError('AUTH_CONSUMER_EXISTS', `A consumer named ${input.name} exists already.`, {
          details: { consumer: input.name },
        });
      }
      const record = await store.consumers.create(input);
      directory.invalidate();
      return record;
    },
    get: existing,
    list: () => store.consumers.list(),
    async update(name, patch) {
      const before = await existing(name);
      if (patch.plan !== undefined && patch.plan !== null) await existingPlan(patch.plan);
      const after = (await store.consumers.update(name, patch)) ?? before;
      directory.invalidate();
      return { before, after };
    },
    async setDisabled(name, disabled) {
      const before = await existing(name);
      const after =
        (await store.consumers.update(name, {
          disabledAt: disabled ? (before.disabledAt ?? now()) : null,
        })) ?? before;
      directory.invalidate();
      return { before, after };
    },
    async delete(name) {
      const before = await existing(name);
      await options.keys.revokeAllOf(name);
      await store.consumers.delete(name);
      directory.invalidate();
      return before;
    },
    async createPlan(input) {
      if ((await store.plans.get(input.name)) !== undefined) {
        throw new ConfluxError('AUTH_PLAN_EXISTS', `A plan named ${input.name} exists already.`, {
          details: { plan: input.name },
        });
      }
      const record = await store.plans.create(input);
      directory.invalidate();
      return record;
    },
    getPlan: existingPlan,
    listPlans: () => store.plans.list(),
    async updatePlan(name, patch) {
      const before = await existingPlan(name);
      const after = (await store.plans.update(name, patch)) ?? before;
      directory.invalidate();
      return { before, after };
    },
    async deletePlan(name) {
      const before = await existingPlan(name);
      const users = (await store.consumers.list())
        .filter((consumer) => consumer.plan === name)
        .map((consumer) => consumer.name);
      if (users.length > 0) {
        throw new ConfluxError(
          'AUTH_PLAN_EXISTS',
          `Plan ${name} is still used by ${users.join(', ')}; move them to another plan first.`,
          {
            details: { plan: name, consumers: users },
          },
        );
      }
      await store.plans.delete(name);
      directory.invalidate();
      return before;
    },
  };
}
