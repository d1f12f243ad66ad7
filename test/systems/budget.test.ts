import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isConfluxError } from '../../src/errors/index.ts';
import { createLogger, createMetrics } from '../../src/observability/index.ts';
import type { SystemLimits } from '../../src/project/index.ts';
import { pauseAfter } from '../../src/systems/budget/pause-after.ts';
import { type BudgetBackend, createUpstreamBudgets, quotaHeaders } from '../../src/systems/index.ts';
import {
  type BudgetTarget,
  budgetSystem,
  memoryTarget,
  postgresTarget,
  redisTarget,
  sqliteTarget,
} from './budget-fixtures.ts';

const logger = createLogger({ level: 'silent' });

/** One case suite for every place budgets live (STYLE.md: swappable implementations share one suite). */
for (const makeTarget of [memoryTarget, sqliteTarget, postgresTarget, redisTarget]) {
  const target: BudgetTarget = makeTarget();
  describe(`upstream budget: ${target.name}`, () => {
    after(() => target.dispose());

    async function budgetsOn(backend?: BudgetBackend, leaseMs?: number) {
      const metrics = createMetrics();
      const budgets = createUpstreamBudgets({
        backend: backend ?? (await target.open()),
        metrics,
        logger,
        ...(leaseMs === undefined ? {} : { leaseMs }),
      });
      return { budgets, metrics };
    }
    // A fresh system name per test: budgets are keyed by it, and targets are shared by the tests.
    const system = (limits: SystemLimits, overrides = {}) =>
      budgetSystem(`sys-${randomUUID().slice(0, 8)}`, limits, overrides);

    test('concurrency: a call beyond the limit waits until a slot is finished', async () => {
      const { budgets } = await budgetsOn();
      const budget = budgets.forSystem(system({ concurrency: 2 }));
      const first = await budget.acquire({ timeoutMs: 2000 });
      await budget.acquire({ timeoutMs: 2000 });
      let third = false;
      const pending = budget.acquire({ timeoutMs: 5000 }).then((lease) => {
        third = true;
        return lease;
      });
      await sleep(150);
      assert.equal(third, false, 'the third call waits while two slots are held');
      await first.finish({ status: 200 });
      await pending;
      assert.equal(third, true);
    });

    test('rate: a burst at once, then calls are spaced by the interval', async () => {
      const backend = await target.open();
      // One call per 10 s: the budget cannot refill while the test runs, however slow the machine.
      const spec = { intervalMs: 10_000, burst: 2, leaseMs: 5000 };
      const key = `rate-${randomUUID()}`;
      assert.equal((await backend.take(key, 'a', spec)).granted, true);
      assert.equal((await backend.take(key, 'b', spec)).granted, true);
      const third = await backend.take(key, 'c', spec);
      assert.equal(third.granted, false, 'the burst is 2');
      assert.ok(
        third.granted === false && third.reason === 'rate' && third.waitMs <= 10_000,
        JSON.stringify(third),
      );

      const { budgets } = await budgetsOn(backend);
      const budget = budgets.forSystem(system({ rate: { perSecond: 20, burst: 2 } }));
      const started = Date.now();
      for (let i = 0; i < 6; i += 1) await budget.acquire({ timeoutMs: 5000 });
      // Two at once, then one every 50 ms: the sixth no sooner than four intervals after the first.
      assert.ok(Date.now() - started >= 190, `six calls took ${Date.now() - started} ms`);
    });

    test('a 429 with Retry-After pauses every caller of the budget, then it ramps back', async () => {
      const { budgets, metrics } = await budgetsOn();
      const definition = system({ concurrency: 5 });
      const budget = budgets.forSystem(definition);
      const lease = await budget.acquire({ timeoutMs: 1000 });
      const pausedAt = Date.now();
      await lease.finish({ status: 429, retryAfter: '1' });
      const waits = await Promise.all(
        [0, 1, 2].map(async () => {
          const next = await budget.acquire({ timeoutMs: 5000 });
          const waited = Date.now() - pausedAt;
          await next.finish({ status: 200 });
          return waited;
        }),
      );
      for (const waited of waits) assert.ok(waited >= 950, `a caller waited ${waited} ms for the pause`);
      const pauses = await metrics.registry.getSingleMetricAsString('conflux_upstream_budget_pauses_total');
      assert.match(pauses, new RegExp(`system="${definition.name}"} 1`));
      const throttled = await metrics.registry.getSingleMetricAsString(
        'conflux_upstream_budget_throttled_total',
      );
      assert.match(throttled, /reason="paused"} 3/);
    });

    test('an answer saying the quota is used up pauses every caller until its reset', async () => {
      const { budgets } = await budgetsOn();
      const budget = budgets.forSystem(system({ concurrency: 5 }));
      const lease = await budget.acquire({ timeoutMs: 1000 });
      const pausedAt = Date.now();
      // A 200 that used the last call of the window: the next calls wait instead of drawing 429s.
      await lease.finish({ status: 200, quota: { remaining: '0', reset: '1' } });
      const next = await budget.acquire({ timeoutMs: 5000 });
      const waited = Date.now() - pausedAt;
      await next.finish({ status: 200, quota: { remaining: '41', reset: '60' } });
      assert.ok(waited >= 950, `the next caller waited ${waited} ms for the quota to reset`);
    });

    test('right after a pause only a fifth of the slots is open (the ramp)', async () => {
      const backend = await target.open();
      const spec = { burst: 1, concurrency: 5, leaseMs: 5000 };
      const key = `ramp-${randomUUID()}`;
      // A 2 s pause ramps for 2 s: a fifth of the slots until 0.8 s after it, ample for a slow store.
      await backend.pause(key, 2000);
      const paused = await backend.take(key, 'a', spec);
      assert.ok(paused.granted === false && paused.reason === 'paused', JSON.stringify(paused));
      await sleep(paused.waitMs + 20);
      assert.equal((await backend.take(key, 'a', spec)).granted, true);
      const second = await backend.take(key, 'b', spec);
      assert.equal(second.granted, false, 'one slot of five at the start of the ramp');
      assert.equal(second.granted === false && second.reason, 'concurrency');
    });

    test('a call that finds no room within its timeout fails typed and retryable', async () => {
      const { budgets, metrics } = await budgetsOn();
      const definition = system({ concurrency: 1 });
      const budget = budgets.forSystem(definition);
      const held = await budget.acquire({ timeoutMs: 1000 });
      await assert.rejects(budget.acquire({ timeoutMs: 120 }), (error: unknown) => {
        assert.ok(isConfluxError(error));
        assert.equal(error.code, 'SYSTEM_BUDGET_EXHAUSTED');
        assert.equal(error.status, 503);
        assert.equal(error.details.retryable, true);
        assert.equal(error.details.reason, 'concurrency');
        assert.equal(typeof error.details.retryAfterMs, 'number');
        return true;
      });
      await held.finish();
      const exhausted = await metrics.registry.getSingleMetricAsString(
        'conflux_upstream_budget_exhausted_total',
      );
      assert.match(exhausted, new RegExp(`system="${definition.name}"} 1`));
    });

    test('a slot whose holder stopped renewing frees itself at the end of its lease', async () => {
      const backend = await target.open();
      const spec = { burst: 1, concurrency: 1, leaseMs: 1500 };
      const key = `lease-${randomUUID()}`;
      assert.equal((await backend.take(key, 'gone', spec)).granted, true);
      assert.equal((await backend.take(key, 'other', spec)).granted, false);
      await sleep(1600);
      assert.equal((await backend.take(key, 'other', spec)).granted, true, 'the expired slot was dropped');
    });

    test('perCredential: systems calling with one credential share one budget', async () => {
      const { budgets } = await budgetsOn();
      const auth = { type: 'bearer', secret: `shared-${randomUUID()}` } as const;
      const a = budgets.forSystem(system({ concurrency: 1, perCredential: true }, { auth }));
      const b = budgets.forSystem(system({ concurrency: 1, perCredential: true }, { auth }));
      const held = await a.acquire({ timeoutMs: 1000 });
      await assert.rejects(b.acquire({ timeoutMs: 100 }), /SYSTEM_BUDGET_EXHAUSTED|upstream budget/);
      await held.finish();
      await (await b.acquire({ timeoutMs: 1000 })).finish();
    });
  });
}

describe('upstream budget without limits', () => {
  test('a 429 still pauses the system for every caller in this process', async () => {
    const budgets = createUpstreamBudgets({
      backend: () => assert.fail('no shared backend'),
      metrics: createMetrics(),
      logger,
    });
    const budget = budgets.forSystem(budgetSystem('free', undefined));
    const lease = await budget.acquire({ timeoutMs: 100 });
    const pausedAt = Date.now();
    await lease.finish({ status: 429, retryAfter: '1' });
    await budget.acquire({ timeoutMs: 3000 });
    assert.ok(Date.now() - pausedAt >= 950);
  });
});

describe('quota headers', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  const header = (headers: Record<string, string>) => (name: string) => headers[name];

  test('RateLimit-*, X-RateLimit-* and the IETF RateLimit field, in both syntaxes', () => {
    const cases: [Record<string, string>, number | undefined][] = [
      [{ 'ratelimit-remaining': '0', 'ratelimit-reset': '30' }, 30_000],
      [{ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 90) }, 90_000], // GitHub: epoch seconds
      [{ ratelimit: 'limit=100, remaining=0, reset=12' }, 12_000],
      [{ ratelimit: '"default";r=0;t=7' }, 7_000],
      [{ 'ratelimit-remaining': '3', 'ratelimit-reset': '30' }, undefined], // calls left: no pause
      [{ 'x-ratelimit-remaining': '0' }, undefined], // no reset known: the 429 that follows decides
      [{ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'soon' }, undefined],
      [{ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 - 5) }, undefined], // already reset
      [{ 'ratelimit-remaining': '0', 'ratelimit-reset': '86400' }, 600_000], // capped at 10 minutes
      [{}, undefined],
    ];
    for (const [headers, expected] of cases) {
      assert.equal(
        pauseAfter(200, undefined, now, quotaHeaders(header(headers))),
        expected,
        JSON.stringify(headers),
      );
    }
  });

  test('a 429 still goes by Retry-After, whatever the quota headers say', () => {
    const quota = quotaHeaders(header({ 'ratelimit-remaining': '0', 'ratelimit-reset': '30' }));
    assert.equal(pauseAfter(429, '2', now, quota), 2000);
  });
});
