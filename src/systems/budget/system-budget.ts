import { randomUUID } from 'node:crypto';
import { ConfluxError } from '../../errors/index.ts';
import type { Logger, Metrics } from '../../observability/index.ts';
import type { SystemDefinition } from '../../project/index.ts';
import type { BudgetBackend } from './budget-backend.ts';
import { budgetKey, budgetSpec } from './budget-key.ts';
import type { BudgetDenial } from './budget-state.ts';
import type { LocalWaiters } from './local-waiters.ts';
import { pauseAfter, type QuotaHeaders } from './pause-after.ts';

const MAX_RENEWED_HOLD_MS = 10 * 60_000;

/** What a system answered, as far as its budget cares. */
export interface BudgetAnswer {
  readonly status: number;
  readonly retryAfter?: string | undefined;
  /** The vendor's quota headers (RateLimit, X-RateLimit-Remaining/-Reset). */
  readonly quota?: QuotaHeaders | undefined;
}

/** One call's place in the budget. */
export interface BudgetLease {
  /**
   * Ends the call with what the system answered: a 429, a 503 with Retry-After, or an answer
   * saying the quota is used up pauses the whole budget (before the slot is released, so
   * nobody slips in between). Never rejects.
   */
  finish(answer?: BudgetAnswer): Promise<void>;
}

export interface SystemBudget {
  /**
   * Waits for room in the budget, at most `timeoutMs`, then fails with SYSTEM_BUDGET_EXHAUSTED
   * (retryable, `details.retryAfterMs`). An aborted `signal` rejects with its reason.
   */
  acquire(options: {
    readonly timeoutMs: number;
    readonly signal?: AbortSignal | undefined;
  }): Promise<BudgetLease>;
}

export interface SystemBudgetDeps {
  readonly backend: () => BudgetBackend;
  readonly waiters: LocalWaiters;
  readonly leaseMs: number;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/** The budget of one system definition: takes with bounded waiting, renews held slots, pauses on 429. */
export function createSystemBudget(system: SystemDefinition, deps: SystemBudgetDeps): SystemBudget {
  const { backend, waiters, leaseMs, metrics, logger } = deps;
  const key = budgetKey(system);
  const spec = budgetSpec(system, leaseMs);
  const labels = { system: system.name };

  async function finish(
    holder: string,
    renewal: NodeJS.Timeout | undefined,
    answer: BudgetAnswer | undefined,
  ): Promise<void> {
    clearInterval(renewal);
    const pauseMs =
      answer === undefined
        ? undefined
        : pauseAfter(answer.status, answer.retryAfter, Date.now(), answer.quota);
    try {
      if (pauseMs !== undefined) {
        metrics.budgetPauses.inc(labels);
        logger.warn(
          { system: system.name, budget: key, pauseMs },
          'system asked to slow down; budget paused',
        );
        await backend().pause(key, pauseMs);
      }
      if (spec.concurrency !== undefined) await backend().release(key, holder);
    } catch (error) {
      logger.warn(
        { err: error, system: system.name },
        'budget update failed; the slot frees at its lease end',
      );
    }
    waiters.wake(key);
  }

  // A slot outlives a slow call (a long proxied stream) only while its holder renews it, and
  // for at most MAX_RENEWED_HOLD_MS: a holder that never finishes cannot keep it for ever.
  function keepRenewing(holder: string): NodeJS.Timeout | undefined {
    if (spec.concurrency === undefined) return undefined;
    const until = Date.now() + MAX_RENEWED_HOLD_MS;
    const timer = setInterval(() => {
      if (Date.now() > until) {
        clearInterval(timer);
        return;
      }
      backend()
        .renew(key, holder, leaseMs)
        .catch((error: unknown) => logger.warn({ err: error, system: system.name }, 'slot renewal failed'));
    }, leaseMs / 3).unref();
    return timer;
  }

  return {
    async acquire({ timeoutMs, signal }) {
      const holder = randomUUID();
      const started = Date.now();
      let held: BudgetDenial | undefined;
      for (;;) {
        signal?.throwIfAborted();
        const taken = await backend().take(key, holder, spec);
        if (taken.granted) {
          metrics.budgetWait.observe(labels, (Date.now() - started) / 1000);
          const renewal = keepRenewing(holder);
          let finished = false;
          return {
            finish(answer) {
              if (finished) return Promise.resolve();
              finished = true;
              return finish(holder, renewal, answer);
            },
          };
        }
        if (held === undefined) {
          held = taken.reason;
          metrics.budgetThrottled.inc({ ...labels, reason: taken.reason });
        }
        const waited = Date.now() - started;
        const left = timeoutMs - waited;
        if (left <= 0) {
          metrics.budgetExhausted.inc(labels);
          throw exhausted(system.name, key, taken.reason, waited, taken.waitMs);
        }
        await waiters.sleep(key, Math.min(taken.waitMs, left), signal);
      }
    },
  };
}

function exhausted(
  system: string,
  key: string,
  reason: BudgetDenial,
  waitedMs: number,
  retryAfterMs: number,
) {
  const why =
    reason === 'paused' ? 'is paused after the system asked to slow down' : `has no room (${reason})`;
  return new ConfluxError(
    'SYSTEM_BUDGET_EXHAUSTED',
    `The upstream budget of ${system} ${why}; waited ${waitedMs} ms, the call's timeout.`,
    { details: { system, budget: key, reason, waitedMs, retryAfterMs, retryable: true } },
  );
}
