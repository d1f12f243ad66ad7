import type { Logger, Metrics } from '../../observability/index.ts';
import type { SystemDefinition } from '../../project/index.ts';
import type { BudgetBackend } from './budget-backend.ts';
import { createLocalWaiters } from './local-waiters.ts';
import { createMemoryBudgetBackend } from './memory-backend.ts';
import { createSystemBudget, type SystemBudget } from './system-budget.ts';

const DEFAULT_LEASE_MS = 10_000;

export interface UpstreamBudgetsOptions {
  /**
   * Where the budgets of systems that declare `limits` live. A function is asked at every use,
   * so the composition root can pick Redis once it is connected.
   */
  readonly backend: BudgetBackend | (() => BudgetBackend);
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** A slot is held this long without renewal (renewed every third while held): a killed holder's slot frees after it. */
  readonly leaseMs?: number;
}

export interface UpstreamBudgets {
  /** The budget of a system: shared as configured when it declares `limits`, else pauses in this process only. */
  forSystem(system: SystemDefinition): SystemBudget;
}

/**
 * One budget per system (or credential) shared by every flow step, gateway route, composite
 * call and poll that calls it: a rate, a concurrency limit with leased slots, and a pause when
 * the system says to slow down. Waiting is bounded by the call's timeout.
 */
export function createUpstreamBudgets(options: UpstreamBudgetsOptions): UpstreamBudgets {
  const configured = options.backend;
  const shared = typeof configured === 'function' ? configured : () => configured;
  // Systems without limits still pause on a 429, in this process: no round trip for them.
  const local = createMemoryBudgetBackend();
  const deps = {
    waiters: createLocalWaiters(),
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    metrics: options.metrics,
    logger: options.logger,
  };
  // Per system definition (a reload makes new ones), so a call does not rebuild key and spec.
  const budgets = new WeakMap<SystemDefinition, SystemBudget>();
  return {
    forSystem(system) {
      let budget = budgets.get(system);
      if (budget === undefined) {
        budget = createSystemBudget(system, {
          ...deps,
          backend: system.limits === undefined ? () => local : shared,
        });
        budgets.set(system, budget);
      }
      return budget;
    },
  };
}
