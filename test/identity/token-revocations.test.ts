import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { createTokenRevocations, grantReference } from '../../src/identity/oauth/token-revocations.ts';
import { createStore, type Store } from '../../src/store/index.ts';

const POSTGRES_URL = process.env.CONFLUX_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `revocations_${randomBytes(4).toString('hex')}`;
const folder = mkdtempSync(join(tmpdir(), 'conflux-revocations-'));

after(async () => {
  rmSync(folder, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

const targets: [string, () => Promise<Store>][] = [
  ['SQLite', () => createStore({ sqlitePath: join(folder, 'conflux.db') })],
  ['PostgreSQL', () => createStore({ sqlitePath: '', databaseUrl: POSTGRES_URL, schema })],
];

for (const [dialect, open] of targets) {
  describe(`revoked access tokens and grants in the store: ${dialect}`, () => {
    test('a revoked jti or grant is refused until it expires; other processes see it after their cache bound', async () => {
      // Two stores on one database: two gateway processes.
      const here = await open();
      const there = await open();
      let now = 1_000_000;
      const clock = () => now;
      const options = { maxTokenLifetimeMs: 660_000, cacheTtlMs: 2_000, now: clock };
      const a = createTokenRevocations({ repository: here.oauth, ...options });
      const b = createTokenRevocations({ repository: there.oauth, ...options });
      try {
        const token = { jti: 'jti-1', gid: grantReference('grant-1') };
        assert.equal(await b.isRevoked(token), false, 'B caches "not revoked"');
        await a.revokeToken('jti-1', now + 600_000);
        assert.equal(await a.isRevoked(token), true, 'the revoking process sees it at once');
        assert.equal(await b.isRevoked(token), false, 'B still answers from its cache');
        now += 2_001;
        assert.equal(await b.isRevoked(token), true, 'B sees it once its cache entry expired');
        assert.equal(await b.isRevoked({ jti: 'jti-2', gid: grantReference('grant-1') }), false);

        await a.revokeGrant('grant-1');
        assert.equal(await a.isRevoked({ jti: 'jti-3', gid: grantReference('grant-1') }), true);
        assert.equal(await a.isRevoked({ jti: 'jti-3', gid: grantReference('grant-2') }), false);
        assert.equal(await a.isRevoked({}), false, 'a token without jti or gid cannot be listed');

        // Revoking again keeps the later expiry; past it, the row is gone.
        await a.revokeToken('jti-1', now + 10_000);
        now += 20_000;
        assert.equal(await a.isRevoked({ jti: 'jti-1' }), true, 'the later expiry stands');
        now += 600_000;
        assert.equal(await a.isRevoked({ jti: 'jti-1' }), false, 'expired with the token');
        assert.equal(
          await a.isRevoked({ gid: grantReference('grant-1') }),
          true,
          'the grant outlives its tokens',
        );
        now += 61_000;
        assert.equal(await a.isRevoked({ gid: grantReference('grant-1') }), false);
      } finally {
        await here.close();
        await there.close();
      }
    });
  });
}
