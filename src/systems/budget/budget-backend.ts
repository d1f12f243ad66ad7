import type { BudgetDenial, BudgetSpec } from './budget-state.ts';

export type TakeResult =
  | { readonly granted: true }
  | { readonly granted: false; readonly reason: BudgetDenial; readonly waitMs: number };

/**
 * Where budgets live: this process (memory), the store (PostgreSQL rows with leases) or Redis
 * (one Lua round trip per decision). Every method is one atomic step on the budget's key.
 */
export interface BudgetBackend {
  readonly name: 'memory' | 'store' | 'redis';
  /** Takes a rate place and (when limited) a slot for `holder`, or says what to wait for. */
  take(key: string, holder: string, spec: BudgetSpec): Promise<TakeResult>;
  release(key: string, holder: string): Promise<void>;
  /** Extends a held slot; a slot that expired meanwhile is not taken again. */
  renew(key: string, holder: string, leaseMs: number): Promise<void>;
  /** Nobody takes from the budget for `pauseMs`, then it ramps back (budget-state.ts). */
  pause(key: string, pauseMs: number): Promise<void>;
}
