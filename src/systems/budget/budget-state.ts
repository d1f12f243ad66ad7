/**
 * The arithmetic of an upstream budget, shared by every backend: the in-memory and store
 * backends call these functions, the Redis backend's Lua script (redis-backend.ts) is them
 * transcribed. One budget is three things kept under one key:
 *
 * - a GCRA theoretical arrival time (`tat`) for the rate: a call is allowed when its new TAT is
 *   no further ahead of now than the burst tolerance (as the gateway's rate limits, gcra.ts);
 * - leased concurrency slots, each with an expiry, so a process that dies leaks nothing;
 * - a pause set by a 429 or Retry-After, followed by a ramp during which rate and concurrency
 *   climb linearly from a fifth of their declared values back to them.
 */

/** What a system declares, in the units the arithmetic uses. */
export interface BudgetSpec {
  /** Milliseconds between two calls at the sustained rate (1000 / perSecond); absent: no rate limit. */
  readonly intervalMs?: number;
  /** Calls allowed at once on an idle budget (the GCRA tolerance is interval × burst). */
  readonly burst: number;
  /** Calls in flight at once; absent: no concurrency limit. */
  readonly concurrency?: number;
  /** How long a slot stays held without renewal. */
  readonly leaseMs: number;
}

export interface BudgetLeaseRow {
  readonly holder: string;
  readonly expiresAt: number;
}

export interface BudgetState {
  readonly tat: number | null;
  /** Epoch ms until which nobody may call (0: never paused). */
  readonly pausedUntil: number;
  /** How long the climb back to the full rate lasts after `pausedUntil`. */
  readonly rampMs: number;
  /** Unexpired slots only. */
  readonly leases: readonly BudgetLeaseRow[];
}

export type BudgetDenial = 'rate' | 'concurrency' | 'paused';

export type TakeDecision =
  | {
      readonly granted: true;
      readonly tat: number | null;
      /** Set when the spec limits concurrency: the slot to store. */
      readonly lease?: BudgetLeaseRow;
    }
  | { readonly granted: false; readonly reason: BudgetDenial; readonly waitMs: number };

/** The share of the declared rate and concurrency the ramp allows at first. */
export const RAMP_FLOOR = 0.2;
export const MIN_RAMP_MS = 1000;
export const MAX_RAMP_MS = 60_000;
/**
 * A refused slot looks again this soon at the latest: another process's release is not
 * announced (a local release wakes local waiters at once).
 */
export const CONCURRENCY_RECHECK_MS = 50;

/** The share of the declared budget usable at `now`: 1, or less during the ramp after a pause. */
export function rampFraction(state: Pick<BudgetState, 'pausedUntil' | 'rampMs'>, now: number): number {
  if (state.pausedUntil === 0 || now >= state.pausedUntil + state.rampMs) return 1;
  return Math.min(1, Math.max(RAMP_FLOOR, (now - state.pausedUntil) / state.rampMs));
}

/**
 * Decides one call: refused while paused; refused when its slots are taken (a holder that
 * already has one keeps it); refused when the rate's next place is too far ahead. Only a call
 * that passes every check moves the TAT and takes a slot, so a refusal costs nothing.
 */
export function decideTake(state: BudgetState, spec: BudgetSpec, holder: string, now: number): TakeDecision {
  if (now < state.pausedUntil) return { granted: false, reason: 'paused', waitMs: state.pausedUntil - now };
  const fraction = rampFraction(state, now);
  let lease: BudgetLeaseRow | undefined;
  if (spec.concurrency !== undefined) {
    const limit = Math.max(1, Math.floor(spec.concurrency * fraction));
    const held = state.leases.some((row) => row.holder === holder);
    if (!held && state.leases.length >= limit) {
      const soonest = Math.min(...state.leases.map((row) => row.expiresAt));
      return {
        granted: false,
        reason: 'concurrency',
        waitMs: Math.max(1, Math.min(soonest - now, CONCURRENCY_RECHECK_MS)),
      };
    }
    lease = { holder, expiresAt: now + spec.leaseMs };
  }
  let tat = state.tat;
  if (spec.intervalMs !== undefined) {
    // During the ramp the interval stretches and bursts are off: one call per interval.
    const interval = spec.intervalMs / fraction;
    const tolerance = fraction < 1 ? interval : spec.intervalMs * spec.burst;
    const next = Math.max(state.tat ?? now, now) + interval;
    const excess = next - now - tolerance;
    if (excess > 0) return { granted: false, reason: 'rate', waitMs: Math.max(1, Math.ceil(excess)) };
    tat = next;
  }
  return lease === undefined ? { granted: true, tat } : { granted: true, tat, lease };
}

/**
 * A 429 or Retry-After: nobody calls until `now + pauseMs` (an earlier, longer pause stands),
 * then the ramp lasts as long again (1 s to 1 min). The TAT moves to the pause's end so no
 * burst saved up before the pause is spent right after it.
 */
export function decidePause(
  state: Pick<BudgetState, 'tat' | 'pausedUntil' | 'rampMs'>,
  pauseMs: number,
  now: number,
): { readonly tat: number | null; readonly pausedUntil: number; readonly rampMs: number } {
  const until = now + pauseMs;
  if (until <= state.pausedUntil) return state;
  return {
    tat: state.tat === null ? null : Math.max(state.tat, until),
    pausedUntil: until,
    rampMs: Math.min(MAX_RAMP_MS, Math.max(MIN_RAMP_MS, pauseMs)),
  };
}
