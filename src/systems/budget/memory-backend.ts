import type { BudgetBackend } from './budget-backend.ts';
import { type BudgetLeaseRow, type BudgetState, decidePause, decideTake } from './budget-state.ts';

interface Entry {
  tat: number | null;
  pausedUntil: number;
  rampMs: number;
  leases: Map<string, number>;
}

/**
 * Budgets of this process only: the embedded (SQLite, single-process) mode, and where calls go
 * while Redis is unreachable. Everything is synchronous, so each decision is atomic.
 */
export function createMemoryBudgetBackend(now: () => number = Date.now): BudgetBackend {
  const entries = new Map<string, Entry>();

  function entry(key: string, at: number): Entry {
    let found = entries.get(key);
    if (found === undefined) {
      found = { tat: null, pausedUntil: 0, rampMs: 0, leases: new Map() };
      entries.set(key, found);
    }
    for (const [holder, expiresAt] of found.leases) if (expiresAt <= at) found.leases.delete(holder);
    return found;
  }

  return {
    name: 'memory',
    take(key, holder, spec) {
      const at = now();
      const current = entry(key, at);
      const leases: BudgetLeaseRow[] = [...current.leases].map(([name, expiresAt]) => ({
        holder: name,
        expiresAt,
      }));
      const state: BudgetState = { ...current, leases };
      const decision = decideTake(state, spec, holder, at);
      if (!decision.granted) return Promise.resolve(decision);
      current.tat = decision.tat;
      if (decision.lease !== undefined) current.leases.set(holder, decision.lease.expiresAt);
      return Promise.resolve({ granted: true });
    },
    release(key, holder) {
      entries.get(key)?.leases.delete(holder);
      return Promise.resolve();
    },
    renew(key, holder, leaseMs) {
      const leases = entries.get(key)?.leases;
      if (leases?.has(holder) === true) leases.set(holder, now() + leaseMs);
      return Promise.resolve();
    },
    pause(key, pauseMs) {
      const at = now();
      const current = entry(key, at);
      Object.assign(current, decidePause(current, pauseMs, at));
      return Promise.resolve();
    },
  };
}
