import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VerifiedTokens } from '../../../src/gateway/policies/verified-tokens.ts';

describe('verified-token cache of the JWT policy', () => {
  test('a token is trusted until its exp, and never longer than a minute', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokens(() => now);
    cache.remember('short', { exp: (now + 5_000) / 1000 });
    cache.remember('long', { exp: (now + 3_600_000) / 1000 });
    assert.ok(cache.get('short'));
    now += 5_000;
    assert.equal(cache.get('short'), undefined, 'expired: verified again (and refused) next time');
    assert.ok(cache.get('long'));
    now += 55_000;
    assert.equal(cache.get('long'), undefined, 'a minute at most, so a removed signing key stops it');
  });

  test('a token without exp, or already expired, is not kept', () => {
    const now = 1_000_000;
    const cache = new VerifiedTokens(() => now);
    cache.remember('no-exp', {});
    cache.remember('past', { exp: (now - 1_000) / 1000 });
    assert.equal(cache.get('no-exp'), undefined);
    assert.equal(cache.get('past'), undefined);
  });

  test('the bound drops the oldest entries first', () => {
    const now = 1_000_000;
    const cache = new VerifiedTokens(() => now);
    for (let i = 0; i <= 10_000; i++) cache.remember(`t${i}`, { exp: (now + 60_000) / 1000 });
    assert.equal(cache.get('t0'), undefined);
    assert.ok(cache.get('t1'));
    assert.ok(cache.get('t10000'));
  });
});
