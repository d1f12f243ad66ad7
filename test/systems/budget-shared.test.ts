/**
 * Upstream budgets shared by independent instances, as separate worker processes have them:
 * two system callers, each with its own budget backend (its own Redis connection, its own
 * PostgreSQL pool), call one counting upstream; and a real child process holds a slot until
 * it is SIGKILLed.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isConfluxError } from '../../src/errors/index.ts';
import { createLogger, createMetrics } from '../../src/observability/index.ts';
import type { SystemDefinition, SystemLimits } from '../../src/project/index.ts';
import { createSystemCaller, createUpstreamBudgets, loadSystemDescription } from '../../src/systems/index.ts';
import {
  type BudgetTarget,
  budgetSystem,
  busiestWindow,
  type CountingUpstream,
  customersDescription,
  postgresTarget,
  redisTarget,
  startCountingUpstream,
} from './budget-fixtures.ts';

const logger = createLogger({ level: 'silent' });
const HOLDER = fileURLToPath(new URL('./fixtures/budget-holder.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

for (const makeTarget of [redisTarget, postgresTarget]) {
  const target: BudgetTarget = makeTarget();
  describe(`budget shared by two instances: ${target.name}`, () => {
    let upstream: CountingUpstream;
    // Slow answers: the calls in flight when the 429 comes are still in flight once the pause is
    // recorded, so no slot frees up in between (recording it is a store transaction).
    let slowUpstream: CountingUpstream;
    const callers: ReturnType<typeof createSystemCaller>[] = [];

    before(async () => {
      upstream = await startCountingUpstream(40);
      slowUpstream = await startCountingUpstream(250);
    });
    after(async () => {
      await Promise.all(callers.map((caller) => caller.close()));
      await upstream.close();
      await slowUpstream.close();
      await target.dispose();
    });

    /** A caller with a budget instance of its own, as one worker process has. */
    async function callerFor(system: SystemDefinition, at = upstream) {
      const description = await loadSystemDescription(customersDescription);
      const metrics = createMetrics();
      const caller = createSystemCaller({
        systems: new Map([[system.name, system]]),
        descriptions: new Map([[system.name, description]]),
        baseUrls: new Map([[system.name, at.url]]),
        resolveSecret: () => Promise.reject(new Error('no secrets here')),
        logger,
        metrics,
        budgets: createUpstreamBudgets({ backend: await target.open(), metrics, logger }),
      });
      callers.push(caller);
      return caller;
    }
    const call = (caller: ReturnType<typeof createSystemCaller>, system: string, n: number) =>
      caller.call(system, 'getCustomer', { id: String(n) }, { correlationId: `c-${n}` });

    async function twoCallers(name: string, limits: SystemLimits, at = upstream) {
      const system = budgetSystem(`${name}-${target.name.length}`, limits, { timeoutMs: 30_000 });
      return { system: system.name, a: await callerFor(system, at), b: await callerFor(system, at) };
    }

    test('calls from both never exceed the declared concurrency and rate', async () => {
      upstream.reset();
      const limits = { rate: { perSecond: 20, burst: 3 }, concurrency: 3 };
      const { system, a, b } = await twoCallers('shared', limits);
      const answers = await Promise.all(
        Array.from({ length: 48 }, (_, n) => call(n % 2 === 0 ? a : b, system, n)),
      );
      assert.equal(answers.length, 48);
      assert.ok(answers.every((answer) => answer.status === 200));
      assert.equal(upstream.arrivals.length, 48);
      assert.ok(upstream.maxInFlight() <= 3, `at most 3 in flight, saw ${upstream.maxInFlight()}`);
      // GCRA admits at most burst + perSecond calls in any closed second (23 here). Arrivals are
      // measured at the upstream, after the decision: two more are allowed for the jitter of
      // that path (an interval is 50 ms) on a busy machine.
      const busiest = busiestWindow(upstream.arrivals, 1000);
      assert.ok(busiest <= 3 + 20 + 2, `at most 25 arrivals in any second, saw ${busiest}`);
      // And over the whole run: 48 calls, 3 at once, then 20 a second.
      const span = Math.max(...upstream.arrivals) - Math.min(...upstream.arrivals);
      assert.ok(span >= ((48 - 3) / 20) * 1000 - 100, `48 calls took ${span} ms`);
    });

    test('a 429 with Retry-After: 1 makes the callers of both instances wait', async () => {
      const { system, a, b } = await twoCallers('paused', { concurrency: 2 }, slowUpstream);
      const answered = slowUpstream.throttleNext('1');
      const calls = Array.from({ length: 12 }, (_, n) => call(n % 2 === 0 ? a : b, system, n));
      const throttledAt = await answered;
      const answers = await Promise.all(calls);
      assert.ok(
        answers.every((answer) => answer.status === 200),
        'every call got through in the end',
      );
      // Besides the 429, one slot (of 2) may have been granted before the pause was recorded.
      const during = slowUpstream.arrivals.filter((at) => at > throttledAt && at < throttledAt + 950);
      assert.ok(during.length <= 1, `${during.length} requests reached the system during the pause`);
      assert.ok(
        slowUpstream.arrivals.some((at) => at >= throttledAt + 950),
        'calls resumed after the pause',
      );
    });

    test("a killed holder's slot frees when its lease ends", async () => {
      const name = `held-${target.name.length}`;
      const system = budgetSystem(name, { concurrency: 1 });
      const budgets = createUpstreamBudgets({
        backend: await target.open(),
        metrics: createMetrics(),
        logger,
      });
      const budget = budgets.forSystem(system);
      const child = await startHolder(target, name, 1500);
      try {
        // Held beyond one lease: the holder renews while it lives.
        await new Promise((resolve) => setTimeout(resolve, 1800));
        await assert.rejects(budget.acquire({ timeoutMs: 200 }), (error: unknown) => {
          assert.ok(isConfluxError(error) && error.code === 'SYSTEM_BUDGET_EXHAUSTED');
          return true;
        });
      } finally {
        child.kill('SIGKILL');
      }
      const killedAt = Date.now();
      const lease = await budget.acquire({ timeoutMs: 10_000 });
      const waited = Date.now() - killedAt;
      await lease.finish();
      // The last renewal came at most a third of the lease before the kill.
      assert.ok(waited >= 900, `the slot stayed held until its lease ended (${waited} ms)`);
    });
  });
}

async function startHolder(target: BudgetTarget, system: string, leaseMs: number): Promise<ChildProcess> {
  const kind = target.name === 'redis' ? 'redis' : 'postgres';
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', HOLDER, kind, target.where, system, String(leaseMs)],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the holder did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('held')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', () => reject(new Error(`the holder exited:\n${output}`)));
  });
  return child;
}
