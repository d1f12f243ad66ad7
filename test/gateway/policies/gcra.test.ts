import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTiers } from '../../../src/gateway/policies/plan.ts';
import { limitsOf } from '../../../src/gateway/policies/rate-limit/gcra.ts';
import { createLocalLimiter } from '../../../src/gateway/policies/rate-limit/local-limiter.ts';

test('GCRA allows the burst, then one request per interval, with no double burst at a boundary', () => {
  let now = 1_000_000;
  const limiter = createLocalLimiter(() => now);
  const limits = limitsOf({ perSecond: 10, burst: 5 });
  const allowed = () => limiter.check('k', limits).allowed;
  for (let i = 0; i < 5; i++) assert.equal(allowed(), true, `burst ${i}`);
  assert.equal(allowed(), false);
  const refused = limiter.check('k', limits);
  assert.equal(refused.retryAfterMs, 100);
  now += 100;
  assert.equal(allowed(), true);
  assert.equal(allowed(), false);
  // A whole second later only the burst is back, not burst + a second's worth.
  now += 1000;
  let passed = 0;
  for (let i = 0; i < 20; i++) if (allowed()) passed++;
  assert.equal(passed, 5);
});

test('a request counts only when every window allows it', () => {
  let now = 0;
  const limiter = createLocalLimiter(() => now);
  const limits = limitsOf({ perSecond: 10, perMinute: 12 });
  let passed = 0;
  for (let i = 0; i < 30; i++) {
    if (limiter.check('k', limits).allowed) passed++;
    now += 200;
  }
  // 6 s at 5/s would allow 30 by the second window; the minute window allows its 12 at once
  // plus one more replenished in those 6 s (one per 5 s).
  assert.equal(passed, 13);
  const decision = limiter.check('k', limits);
  assert.equal(decision.limit.name, 'minute');
});

test('a plan without a tier of its own falls back to default', () => {
  const tierOf = compileTiers(
    { default: { perSecond: 1 }, plans: { gold: { perSecond: 50 } } },
    (tier, plan) => ({ plan, tier }),
  );
  assert.equal(tierOf('gold')?.plan, 'gold');
  assert.equal(tierOf('silver')?.plan, 'default');
  assert.equal(compileTiers({ plans: { gold: {} } }, (_, plan) => plan)('silver'), undefined);
});
