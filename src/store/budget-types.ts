/**
 * Upstream budgets kept in the store (PostgreSQL, several processes): one row per budget with
 * its GCRA time and pause, one row per leased concurrency slot. The arithmetic belongs to the
 * systems module (src/systems/budget); the store only reads and changes a budget atomically.
 */
export interface BudgetRecord {
  readonly tat: number | null;
  readonly pausedUntil: number;
  readonly rampMs: number;
  /** Unexpired slots. */
  readonly leases: readonly { readonly holder: string; readonly expiresAt: number }[];
}

export interface BudgetChange {
  readonly tat?: number | null;
  readonly pausedUntil?: number;
  readonly rampMs?: number;
  /** A slot to take (or extend, for a holder that has one). */
  readonly lease?: { readonly holder: string; readonly expiresAt: number };
}

export interface UpstreamBudgetRepository {
  /**
   * Reads the budget under a lock on its key (expired slots dropped), stores the change
   * `decide` returns, and answers its result; one transaction, serialised per key. `clock` is
   * read once the lock is held: a time read while waiting for it would be stale, and a stale
   * time hands out capacity that later decisions already spent.
   */
  update<T>(
    key: string,
    clock: () => number,
    decide: (budget: BudgetRecord, now: number) => { readonly change?: BudgetChange; readonly result: T },
  ): Promise<T>;
  release(key: string, holder: string): Promise<void>;
  /** Extends an unexpired slot; false when it had expired or was released. */
  renew(key: string, holder: string, expiresAt: number, now: number): Promise<boolean>;
}

export interface UpstreamBudgetsTable {
  key: string;
  tat: number | null;
  paused_until: number;
  ramp_ms: number;
  updated_at: number;
}

export interface UpstreamBudgetSlotsTable {
  key: string;
  holder: string;
  expires_at: number;
}
