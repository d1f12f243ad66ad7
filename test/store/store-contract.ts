/**
 * The one case suite every store dialect must pass (called by sqlite.test.ts and
 * postgres.test.ts). Each test opens fresh stores on a fresh database so that queue tests
 * cannot see each other's runs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfluxError } from '../../src/errors/index.ts';
import { createStore, type RunRecord, type Store } from '../../src/store/index.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import type { MakeTarget, StoreTarget } from './targets.ts';

const LEASE = 1000;
/** Outlives every `now` a test uses, for tests that are not about expiry. */
const LONG_LEASE = 1_000_000;

function run(id: string, extra: { flow?: string; availableAt?: number } = {}) {
  return {
    id,
    flow: extra.flow ?? 'orders.sync',
    flowVersion: 'v1',
    triggerType: 'webhook',
    input: { id, lines: [{ sku: 'A-1', qty: 2 }], note: null },
    correlationId: `corr-${id}`,
    availableAt: extra.availableAt ?? 1000,
  };
}

function isCode(code: string) {
  return (error: unknown) => error instanceof ConfluxError && error.code === code;
}

export function describeStoreContract(
  name: string,
  makeTarget: MakeTarget,
  skip: string | false = false,
): void {
  async function withStores(count: number, body: (stores: Store[], target: StoreTarget) => Promise<void>) {
    const target = await makeTarget();
    const stores: Store[] = [];
    try {
      // Opened one after another: the first migrates, the others find the schema current.
      for (let i = 0; i < count; i++) stores.push(await createStore(target.options));
      await body(stores, target);
    } finally {
      for (const store of stores) await store.close();
      await target.dispose();
    }
  }
  const withStore = (body: (store: Store, target: StoreTarget) => Promise<void>) =>
    withStores(1, ([store], target) => body(store as Store, target));

  describe(`store contract: ${name}`, { skip }, () => {
    test('migrations are recorded once and a restart finds the data and the schema current', async () => {
      const target = await makeTarget();
      try {
        const first = await createStore(target.options);
        assert.equal(first.dialect, name);
        await first.runs.create(run('r-1'));
        await first.close();
        const second = await createStore(target.options);
        assert.equal((await second.runs.get('r-1'))?.flow, 'orders.sync');
        await second.ping();
        await second.close();
        const versions = await target.query('select version, name from conflux_migrations order by version');
        assert.deepEqual(
          versions.map((row) => [Number(row.version), row.name]),
          [...migrations]
            .sort((a, b) => a.version - b.version)
            .map((migration) => [migration.version, migration.name]),
        );
      } finally {
        await target.dispose();
      }
    });

    test('api keys: create, find by hash, list, revoke once, touch, conflict on duplicates', () =>
      withStore(async (store) => {
        const created = await store.keys.create({
          id: 'k-1',
          consumer: 'acme',
          name: 'ci',
          prefix: 'cfx_ab12',
          hash: 'h'.repeat(64),
          scopes: ['orders:read', 'orders:write'],
          expiresAt: null,
        });
        assert.equal(created.revokedAt, null);
        assert.equal(created.lastUsedAt, null);
        assert.ok(created.createdAt > 0);
        const found = await store.keys.findByHash('h'.repeat(64));
        assert.deepEqual(found, created);
        assert.equal(await store.keys.findByHash('nope'), undefined);

        await store.keys.touchLastUsed('k-1', 5000);
        assert.equal((await store.keys.findByHash('h'.repeat(64)))?.lastUsedAt, 5000);

        assert.equal(await store.keys.revoke('k-1', 6000), true);
        assert.equal(
          await store.keys.revoke('k-1', 7000),
          false,
          'a revoked key stays revoked at its first time',
        );
        assert.equal(await store.keys.revoke('missing', 7000), false);
        const [listed] = await store.keys.list();
        assert.equal(listed?.revokedAt, 6000);
        assert.deepEqual(listed?.scopes, ['orders:read', 'orders:write']);

        await assert.rejects(
          store.keys.create({ ...created, id: 'k-2', expiresAt: 9000 }),
          isCode('STORE_CONFLICT'),
          'same hash twice',
        );
        await assert.rejects(
          store.keys.create({ ...created, hash: 'x'.repeat(64), expiresAt: null }),
          isCode('STORE_CONFLICT'),
          'same id twice',
        );
        assert.equal((await store.keys.list()).length, 1);
      }));

    test('secrets: put, overwrite, get, list names, delete', () =>
      withStore(async (store) => {
        const envelope = {
          name: 'crm.token',
          ciphertext: Buffer.from([0, 1, 2, 255]),
          iv: Buffer.alloc(12, 7),
          tag: Buffer.alloc(16, 9),
          wrappedKey: Buffer.alloc(61, 3),
          kekId: 'abcd1234',
          updatedAt: 1000,
        };
        await store.secrets.put(envelope);
        await store.secrets.put({ ...envelope, name: 'aaa' });
        assert.deepEqual(await store.secrets.get('crm.token'), envelope);
        await store.secrets.put({ ...envelope, ciphertext: Buffer.from('new'), updatedAt: 2000 });
        const updated = await store.secrets.get('crm.token');
        assert.deepEqual(updated?.ciphertext, Buffer.from('new'));
        assert.equal(updated?.updatedAt, 2000);
        assert.deepEqual(await store.secrets.listNames(), ['aaa', 'crm.token']);
        assert.equal(await store.secrets.delete('crm.token'), true);
        assert.equal(await store.secrets.delete('crm.token'), false);
        assert.equal(await store.secrets.get('crm.token'), undefined);
        assert.deepEqual(await store.secrets.listNames(), ['aaa']);
      }));

    test('runs: create and get round-trip JSON, duplicates conflict', () =>
      withStore(async (store) => {
        const created = await store.runs.create(run('r-1'));
        assert.equal(created.status, 'queued');
        assert.equal(created.attempts, 0);
        assert.equal(created.availableAt, 1000);
        assert.equal(created.output, null);
        assert.deepEqual(await store.runs.get('r-1'), created);
        assert.deepEqual(created.input, { id: 'r-1', lines: [{ sku: 'A-1', qty: 2 }], note: null });
        assert.equal(await store.runs.get('r-404'), undefined);
        await assert.rejects(store.runs.create(run('r-1')), isCode('STORE_CONFLICT'));
      }));

    test('runs: created under a lease, a run is running at attempt 1 unless its flow is paused', () =>
      withStore(async (store) => {
        const lease = { owner: 'w-1', expiresAt: 1000 + LEASE };
        const started = await store.runs.create({ ...run('eager'), lease });
        assert.equal(started.status, 'running');
        assert.equal(started.attempts, 1);
        assert.equal(started.leaseOwner, 'w-1');
        assert.equal(started.leaseExpiresAt, 1000 + LEASE);
        assert.deepEqual(await store.runs.get('eager'), started);
        assert.deepEqual(await store.runs.claim('w-2', LEASE, 5, 1000 + LEASE - 1), [], 'lease held');
        assert.equal(await store.runs.finish('eager', 'w-1', { status: 'succeeded' }, 1500), true);

        await store.flowPauses.pause('held', 'maintenance', 1000);
        const held = await store.runs.create({ ...run('held-1', { flow: 'held' }), lease });
        assert.equal(held.status, 'queued');
        assert.equal(held.attempts, 0);
        assert.equal(held.leaseOwner, null);
        await store.flowPauses.resume('held');
        assert.deepEqual(
          (await store.runs.claim('w-2', LEASE, 5, 2000)).map((r) => r.id),
          ['held-1'],
          'queued like any other run',
        );
      }));

    test('runs: writes issued together each land or fail alone', () =>
      withStore(async (store) => {
        await store.runs.create(run('taken'));
        const ids = ['w-a', 'taken', 'w-b', 'w-c'];
        const outcomes = await Promise.allSettled(ids.map((id) => store.runs.create(run(id))));
        assert.deepEqual(
          outcomes.map((outcome) => outcome.status),
          ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
        );
        const conflict = outcomes[1] as PromiseRejectedResult;
        assert.ok(isCode('STORE_CONFLICT')(conflict.reason));
        for (const id of ['w-a', 'w-b', 'w-c']) assert.equal((await store.runs.get(id))?.status, 'queued');
        const steps = ['one', 'two', 'three'].map((stepId, index) => ({
          runId: 'w-a',
          stepId,
          status: 'succeeded' as const,
          input: null,
          output: { index },
          error: null,
          attempts: 1,
          startedAt: 10 + index,
          finishedAt: 20 + index,
        }));
        await Promise.all(steps.map((step) => store.runs.saveStep(step)));
        assert.deepEqual(await store.runs.listSteps('w-a'), steps, 'in the order they were issued');
      }));

    test('runs: list pages newest first by an opaque cursor, with filters', () =>
      withStore(async (store) => {
        for (let i = 0; i < 7; i++)
          await store.runs.create(run(`r-${i}`, { flow: i % 2 === 0 ? 'even' : 'odd' }));
        const all: RunRecord[] = [];
        for (let i = 0; i < 7; i++) all.push((await store.runs.get(`r-${i}`)) as RunRecord);
        const expected = all
          .sort((a, b) => b.createdAt - a.createdAt || (b.id < a.id ? -1 : 1))
          .map((r) => r.id);

        const seen: string[] = [];
        let before: string | undefined;
        let pages = 0;
        do {
          const page = await store.runs.list({ limit: 3, ...(before === undefined ? {} : { before }) });
          assert.ok(page.runs.length <= 3);
          seen.push(...page.runs.map((r) => r.id));
          before = page.next ?? undefined;
          pages++;
        } while (before !== undefined && pages < 10);
        assert.equal(pages, 3);
        assert.deepEqual(seen, expected);

        const even = await store.runs.list({ flow: 'even' });
        assert.deepEqual(
          even.runs.map((r) => r.id),
          expected.filter((id) => Number(id.slice(2)) % 2 === 0),
        );
        assert.equal(even.next, null);
        await store.runs.claim('w', LEASE, 1, 2000);
        const running = await store.runs.list({ status: 'running' });
        assert.equal(running.runs.length, 1);
        assert.equal((await store.runs.list({ status: 'queued', flow: 'odd' })).runs.length, 3);
        await assert.rejects(store.runs.list({ before: 'not-a-cursor' }), isCode('STORE_CURSOR_INVALID'));
      }));

    test('runs: claim leases due runs in availability order, up to the limit', () =>
      withStore(async (store) => {
        await store.runs.create(run('late', { availableAt: 5000 }));
        await store.runs.create(run('second', { availableAt: 1500 }));
        await store.runs.create(run('first', { availableAt: 1000 }));
        await store.runs.create(run('third', { availableAt: 1800 }));

        const claimed = await store.runs.claim('w-1', LONG_LEASE, 2, 2000);
        assert.deepEqual(
          claimed.map((r) => r.id),
          ['first', 'second'],
        );
        for (const r of claimed) {
          assert.equal(r.status, 'running');
          assert.equal(r.leaseOwner, 'w-1');
          assert.equal(r.leaseExpiresAt, 2000 + LONG_LEASE);
          assert.equal(r.attempts, 1);
        }
        assert.deepEqual(
          (await store.runs.claim('w-2', LONG_LEASE, 10, 2000)).map((r) => r.id),
          ['third'],
        );
        assert.deepEqual(await store.runs.claim('w-2', LONG_LEASE, 10, 2000), [], 'late is not due yet');
        assert.deepEqual(
          (await store.runs.claim('w-2', LONG_LEASE, 10, 5000)).map((r) => r.id),
          ['late'],
        );
      }));

    test('runs: claim takes the highest priority first, with expired leases in the same order, never paused flows', () =>
      withStore(async (store) => {
        await store.runs.create(run('crashed', { availableAt: 1000 }));
        assert.equal((await store.runs.claim('w-dead', LEASE, 1, 1000)).length, 1);
        await store.runs.create(run('low', { availableAt: 1100 }));
        await store.runs.create(run('low-later', { availableAt: 1200 }));
        await store.runs.create({ ...run('urgent', { availableAt: 1900 }), priority: 5 });
        await store.runs.create(run('paused', { availableAt: 900, flow: 'held' }));
        await store.flowPauses.pause('held', 'maintenance', 1000);
        // At 2000 + LEASE the dead worker's lease has run out: "crashed" is due like a queued run.
        const now = 2000 + LEASE;
        const first = await store.runs.claim('w-1', LONG_LEASE, 3, now);
        assert.deepEqual(first.map((r) => r.id).sort(), ['crashed', 'low', 'urgent']);
        assert.equal(first.find((r) => r.id === 'crashed')?.attempts, 2);
        assert.deepEqual(
          (await store.runs.claim('w-1', LONG_LEASE, 3, now)).map((r) => r.id),
          ['low-later'],
          'the paused flow is skipped in both',
        );
        await store.flowPauses.resume('held');
        assert.deepEqual(
          (await store.runs.claim('w-1', LONG_LEASE, 3, now)).map((r) => r.id),
          ['paused'],
        );
      }));

    test('runs: lease renewal, expiry and reclaim by another worker', () =>
      withStore(async (store) => {
        await store.runs.create(run('r-1'));
        await store.runs.claim('w-1', LEASE, 1, 2000);
        assert.equal(await store.runs.renewLease('r-1', 'w-1', LEASE, 2500), true);
        assert.equal((await store.runs.get('r-1'))?.leaseExpiresAt, 3500);
        assert.equal(await store.runs.renewLease('r-1', 'w-2', LEASE, 2500), false, 'not the owner');
        assert.deepEqual(await store.runs.claim('w-2', LEASE, 1, 3400), [], 'lease still held');

        const [reclaimed] = await store.runs.claim('w-2', LEASE, 1, 3500);
        assert.equal(reclaimed?.id, 'r-1');
        assert.equal(reclaimed?.leaseOwner, 'w-2');
        assert.equal(reclaimed?.attempts, 2);
        assert.equal(await store.runs.renewLease('r-1', 'w-1', LEASE, 3600), false, 'w-1 lost the lease');
        assert.equal(await store.runs.finish('r-1', 'w-1', { status: 'succeeded' }, 3600), false);
        assert.equal(
          await store.runs.finish('r-1', 'w-2', { status: 'succeeded', output: { ok: 1 } }, 3700),
          true,
        );
        const done = await store.runs.get('r-1');
        assert.equal(done?.status, 'succeeded');
        assert.deepEqual(done?.output, { ok: 1 });
        assert.equal(done?.finishedAt, 3700);
        assert.equal(done?.leaseOwner, null);
        assert.equal(done?.leaseExpiresAt, null);
        assert.equal(
          await store.runs.finish('r-1', 'w-2', { status: 'failed' }, 3800),
          false,
          'finished once',
        );
        assert.deepEqual(
          await store.runs.claim('w-3', LEASE, 1, 99_999),
          [],
          'finished runs are never claimed',
        );
      }));

    test('runs: requeue with backoff, fail, and count by status', () =>
      withStore(async (store) => {
        await store.runs.create(run('r-1'));
        await store.runs.create(run('r-2'));
        await store.runs.claim('w-1', LONG_LEASE, 2, 2000);
        assert.equal(
          await store.runs.requeue('r-1', 'w-2', 9000, { message: 'x' }, 2100),
          false,
          'not the owner',
        );
        assert.equal(await store.runs.requeue('r-1', 'w-1', 9000, { message: 'upstream 503' }, 2100), true);
        const queued = await store.runs.get('r-1');
        assert.equal(queued?.status, 'queued');
        assert.equal(queued?.availableAt, 9000);
        assert.deepEqual(queued?.error, { message: 'upstream 503' });
        assert.equal(queued?.leaseOwner, null);
        assert.deepEqual(await store.runs.claim('w-1', LONG_LEASE, 5, 8999), [], 'backoff respected');
        assert.equal((await store.runs.claim('w-1', LONG_LEASE, 5, 9000))[0]?.attempts, 2);

        assert.equal(
          await store.runs.finish('r-2', 'w-1', { status: 'dead', error: { message: 'gave up' } }, 9100),
          true,
        );
        assert.deepEqual(await store.runs.countByStatus(), {
          queued: 0,
          running: 1,
          succeeded: 0,
          failed: 0,
          dead: 1,
        });
      }));

    test('runs: releaseAllLeases puts every running run back in the queue', () =>
      withStore(async (store) => {
        for (const id of ['a', 'b', 'c']) await store.runs.create(run(id));
        await store.runs.claim('gone', 60_000, 2, 2000);
        assert.equal(await store.runs.releaseAllLeases(), 2);
        assert.equal(await store.runs.releaseAllLeases(), 0);
        assert.deepEqual((await store.runs.countByStatus()).queued, 3);
        assert.equal((await store.runs.claim('new', LEASE, 5, 2001)).length, 3);
      }));

    test('steps: saveStep is idempotent per (run, step)', () =>
      withStore(async (store) => {
        await store.runs.create(run('r-1'));
        const step = {
          runId: 'r-1',
          stepId: 'fetch',
          status: 'succeeded' as const,
          input: { q: 1 },
          output: ['first'],
          error: null,
          attempts: 1,
          startedAt: 10,
          finishedAt: 20,
        };
        await store.runs.saveStep(step);
        await store.runs.saveStep({ ...step, output: ['second'], attempts: 2 });
        await store.runs.saveStep({ ...step, stepId: 'map', startedAt: 30, finishedAt: 40, output: 'text' });
        const steps = await store.runs.listSteps('r-1');
        assert.deepEqual(steps, [
          step,
          { ...step, stepId: 'map', startedAt: 30, finishedAt: 40, output: 'text' },
        ]);
        assert.deepEqual(await store.runs.listSteps('r-404'), []);
      }));

    test('claim: two store instances claiming at once never get the same run', () =>
      withStores(2, async (stores) => {
        const [a, b] = stores as [Store, Store];
        for (let i = 0; i < 50; i++) await a.runs.create(run(`r-${String(i).padStart(2, '0')}`));
        const claimedBy = new Map<string, string>();
        let rounds = 0;
        while (claimedBy.size < 50 && rounds < 100) {
          rounds++;
          const [fromA, fromB] = await Promise.all([
            a.runs.claim('worker-a', 60_000, 3, 2000),
            b.runs.claim('worker-b', 60_000, 3, 2000),
          ]);
          for (const [owner, runs] of [
            ['worker-a', fromA],
            ['worker-b', fromB],
          ] as const) {
            for (const r of runs) {
              assert.equal(
                claimedBy.get(r.id),
                undefined,
                `${r.id} claimed by ${claimedBy.get(r.id)} and ${owner}`,
              );
              claimedBy.set(r.id, owner);
            }
          }
          if (fromA.length === 0 && fromB.length === 0) break;
        }
        assert.equal(claimedBy.size, 50);
        const running = await a.runs.list({ status: 'running', limit: 100 });
        for (const r of running.runs) assert.equal(r.leaseOwner, claimedBy.get(r.id));
      }));

    test('schedules: a fire is claimed exactly once across two store instances', () =>
      withStores(2, async (stores) => {
        const [a, b] = stores as [Store, Store];
        assert.equal(await a.schedules.lastFire('nightly'), undefined);
        const attempts = Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? a : b).schedules.claimFire('nightly', 1000),
        );
        const results = await Promise.all(attempts);
        assert.equal(results.filter(Boolean).length, 1);
        assert.equal(await b.schedules.claimFire('nightly', 2000), true);
        assert.equal(await a.schedules.claimFire('hourly', 1000), true, 'keys are independent');
        assert.equal(await a.schedules.lastFire('nightly'), 2000);
      }));

    test('connection pauses: holds per system; release answers the flows no other system holds', () =>
      withStore(async (store) => {
        await store.connectionPauses.hold('crm', 'sync', 1000);
        await store.connectionPauses.hold('crm', 'sync', 1001);
        await store.connectionPauses.hold('crm', 'both', 1000);
        await store.connectionPauses.hold('erp', 'both', 1002);
        assert.equal(await store.connectionPauses.held('both'), true);
        assert.equal(await store.connectionPauses.held('other'), false);
        assert.deepEqual(
          (await store.connectionPauses.list()).map((pause) => [pause.system, pause.flow, pause.pausedAt]),
          [
            ['crm', 'both', 1000],
            ['crm', 'sync', 1000],
            ['erp', 'both', 1002],
          ],
        );
        assert.deepEqual(await store.connectionPauses.release('crm'), ['sync']);
        assert.deepEqual(await store.connectionPauses.release('crm'), []);
        assert.deepEqual(await store.connectionPauses.release('erp'), ['both']);
        assert.deepEqual(await store.connectionPauses.list(), []);
      }));
  });
}
