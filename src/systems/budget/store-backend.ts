import type { UpstreamBudgetRepository } from '../../store/index.ts';
import type { BudgetBackend, TakeResult } from './budget-backend.ts';
import { decidePause, decideTake } from './budget-state.ts';

/**
 * Budgets shared by processes through the store (PostgreSQL without Redis): each decision is
 * one transaction serialised per budget by an advisory lock; slots are rows with an expiry, so
 * a killed holder's slot is dropped by the first decision after its lease ends.
 */
export function createStoreBudgetBackend(
  budgets: UpstreamBudgetRepository,
  now: () => number = Date.now,
): BudgetBackend {
  return {
    name: 'store',
    take(key, holder, spec) {
      return budgets.update<TakeResult>(key, now, (budget, at) => {
        const decision = decideTake(budget, spec, holder, at);
        if (!decision.granted) return { result: decision };
        return {
          change: {
            ...(spec.intervalMs === undefined ? {} : { tat: decision.tat }),
            ...(decision.lease === undefined ? {} : { lease: decision.lease }),
          },
          result: { granted: true },
        };
      });
    },
    release: (key, holder) => budgets.release(key, holder),
    async renew(key, holder, leaseMs) {
      const at = now();
      await budgets.renew(key, holder, at + leaseMs, at);
    },
    pause(key, pauseMs) {
      return budgets.update(key, now, (budget, at) => ({
        change: decidePause(budget, pauseMs, at),
        result: undefined,
      }));
    },
  };
}
