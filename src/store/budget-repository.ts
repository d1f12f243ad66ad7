import type { Kysely } from 'kysely';
import type { BudgetRecord, UpstreamBudgetRepository } from './budget-types.ts';
import type { Database } from './db-schema.ts';
import { withKeyLock } from './key-lock.ts';
import type { Dialect } from './types.ts';

export function createBudgetRepository(db: Kysely<Database>, dialect: Dialect): UpstreamBudgetRepository {
  return {
    update(key, clock, decide) {
      return withKeyLock(db, dialect, `budget:${key}`, async (trx) => {
        const now = clock();
        // Expired slots go first: a holder that died frees its slot here, at its lease's end.
        await trx
          .deleteFrom('upstream_budget_slots')
          .where('key', '=', key)
          .where('expires_at', '<=', now)
          .execute();
        const row = await trx
          .selectFrom('upstream_budgets')
          .selectAll()
          .where('key', '=', key)
          .executeTakeFirst();
        const slots = await trx
          .selectFrom('upstream_budget_slots')
          .select(['holder', 'expires_at'])
          .where('key', '=', key)
          .execute();
        const budget: BudgetRecord = {
          tat: row?.tat ?? null,
          pausedUntil: Number(row?.paused_until ?? 0),
          rampMs: Number(row?.ramp_ms ?? 0),
          leases: slots.map((slot) => ({ holder: slot.holder, expiresAt: Number(slot.expires_at) })),
        };
        const { change, result } = decide(budget, now);
        if (change === undefined) return result;
        const next = {
          tat: change.tat === undefined ? budget.tat : change.tat,
          paused_until: change.pausedUntil ?? budget.pausedUntil,
          ramp_ms: change.rampMs ?? budget.rampMs,
          updated_at: now,
        };
        if (change.tat !== undefined || change.pausedUntil !== undefined || change.rampMs !== undefined) {
          await trx
            .insertInto('upstream_budgets')
            .values({ key, ...next })
            .onConflict((oc) => oc.column('key').doUpdateSet(next))
            .execute();
        }
        if (change.lease !== undefined) {
          const expiresAt = change.lease.expiresAt;
          await trx
            .insertInto('upstream_budget_slots')
            .values({ key, holder: change.lease.holder, expires_at: expiresAt })
            .onConflict((oc) => oc.columns(['key', 'holder']).doUpdateSet({ expires_at: expiresAt }))
            .execute();
        }
        return result;
      });
    },

    async release(key, holder) {
      await db
        .deleteFrom('upstream_budget_slots')
        .where('key', '=', key)
        .where('holder', '=', holder)
        .execute();
    },

    async renew(key, holder, expiresAt, now) {
      const update = await db
        .updateTable('upstream_budget_slots')
        .set({ expires_at: expiresAt })
        .where('key', '=', key)
        .where('holder', '=', holder)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return update.numUpdatedRows > 0n;
    },
  };
}
