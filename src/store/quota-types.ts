/** Gateway quota counters: requests used per counter key (API, plan, consumer, period) and period start. */
export interface QuotaIncrement {
  readonly key: string;
  /** Epoch ms of the period's start (UTC day or month). */
  readonly periodStart: number;
  readonly count: number;
}

export interface QuotaRepository {
  /** Adds each increment to its counter, creating it when missing; one transaction. */
  add(increments: readonly QuotaIncrement[], now: number): Promise<void>;
  used(key: string, periodStart: number): Promise<number>;
}

export interface QuotaCountersTable {
  counter_key: string;
  period_start: number;
  used: number;
  updated_at: number;
}
