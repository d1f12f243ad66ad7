import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ConfluxError } from '../../src/errors/index.ts';
import { createVault } from '../../src/secrets/index.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import {
  type MakeTarget,
  makePostgresTarget,
  makeSqliteTarget,
  type StoreTarget,
  skipPostgres,
} from '../store/targets.ts';

function rejectsWith(code: string) {
  return (error: unknown) => error instanceof ConfluxError && error.code === code;
}

for (const [dialect, makeTarget, skip] of [
  ['sqlite', makeSqliteTarget, false],
  ['postgres', makePostgresTarget, skipPostgres],
] as Array<[string, MakeTarget, string | false]>) {
  describe(`vault: ${dialect}`, { skip }, () => {
    let target: StoreTarget;
    let store: Store;
    const kek = randomBytes(32);

    before(async () => {
      target = await makeTarget();
      store = await createStore(target.options);
    });
    after(async () => {
      await store?.close();
      await target?.dispose();
    });

    test('set, get, has, list, overwrite, delete', async () => {
      const vault = createVault({ store, kek });
      await vault.set('crm.api-key', 'sk_live_first');
      await vault.set('erp_password', 'hunter2!');
      assert.equal(await vault.get('crm.api-key'), 'sk_live_first');
      assert.equal(await vault.has('crm.api-key'), true);
      assert.equal(await vault.has('nope'), false);
      assert.deepEqual(await vault.list(), ['crm.api-key', 'erp_password']);
      await vault.set('crm.api-key', 'sk_live_second');
      assert.equal(await vault.get('crm.api-key'), 'sk_live_second');
      assert.equal(await vault.delete('crm.api-key'), true);
      assert.equal(await vault.delete('crm.api-key'), false);
      await assert.rejects(vault.get('crm.api-key'), rejectsWith('SECRET_NOT_FOUND'));
      const stored = await store.secrets.get('erp_password');
      assert.equal(stored?.kekId, vault.kekId);
      assert.ok(!stored?.ciphertext.includes(Buffer.from('hunter2')));
    });

    test('names are validated', async () => {
      const vault = createVault({ store, kek });
      for (const name of ['', 'Upper', '-lead', 'a b', 'x'.repeat(129), 'slash/name']) {
        await assert.rejects(vault.set(name, 'value'), rejectsWith('SECRET_NAME_INVALID'), name);
        await assert.rejects(vault.get(name), rejectsWith('SECRET_NAME_INVALID'), name);
      }
      await vault.set(`a${'x'.repeat(127)}`, 'longest name');
    });

    test('a vault with the wrong KEK cannot read, and says which key sealed the secret', async () => {
      const vault = createVault({ store, kek });
      await vault.set('wrong-kek', 'value-wrong-kek');
      const other = createVault({ store, kek: randomBytes(32) });
      await assert.rejects(other.get('wrong-kek'), (error: unknown) => {
        assert.ok(rejectsWith('SECRET_DECRYPT_FAILED')(error));
        assert.ok((error as ConfluxError).message.includes(vault.kekId));
        return true;
      });
    });

    test('a tampered envelope in the database is rejected', async () => {
      const vault = createVault({ store, kek });
      await vault.set('tampered', 'value-tampered');
      const envelope = await store.secrets.get('tampered');
      assert.ok(envelope);
      const ciphertext = Buffer.from(envelope.ciphertext);
      ciphertext[0] = (ciphertext[0] ?? 0) ^ 0xff;
      await store.secrets.put({ ...envelope, ciphertext });
      await assert.rejects(vault.get('tampered'), rejectsWith('SECRET_DECRYPT_FAILED'));
      // Copying a valid envelope under another name fails too.
      await vault.set('original', 'value-original');
      const original = await store.secrets.get('original');
      assert.ok(original);
      await store.secrets.put({ ...original, name: 'copy' });
      await assert.rejects(vault.get('copy'), rejectsWith('SECRET_DECRYPT_FAILED'));
      await vault.delete('tampered');
      await vault.delete('copy');
    });

    test('rotation re-wraps under the new KEK, after which the old KEK is no longer needed', async () => {
      const oldKek = randomBytes(32);
      const newKek = randomBytes(32);
      const before = createVault({ store, kek: oldKek });
      await before.set('rotate.me', 'value-rotate');
      const during = createVault({ store, kek: newKek, previousKeks: [oldKek, kek] });
      assert.equal(await during.get('rotate.me'), 'value-rotate');
      const old = await store.secrets.get('rotate.me');
      await createVault({ store, kek: randomBytes(32) }).set('unknown.key', 'value-unknown');
      const first = await during.rotate();
      assert.ok(first.rotated >= 1);
      assert.deepEqual(first.failed, ['unknown.key'], 'a secret under an unknown KEK is reported, not fatal');
      assert.deepEqual(
        await during.rotate(),
        { rotated: 0, failed: ['unknown.key'] },
        'nothing left to rotate',
      );
      await during.delete('unknown.key');
      const rotated = await store.secrets.get('rotate.me');
      assert.deepEqual(rotated?.ciphertext, old?.ciphertext, 'only the data key is re-wrapped');
      assert.equal(await createVault({ store, kek: newKek }).get('rotate.me'), 'value-rotate');
      await assert.rejects(
        createVault({ store, kek: oldKek }).get('rotate.me'),
        rejectsWith('SECRET_DECRYPT_FAILED'),
      );
    });

    test('values read or written are registered with the redactor', async () => {
      const vault = createVault({ store, kek });
      await vault.set('redact.me', 'value-redact-1');
      const reader = createVault({ store, kek });
      assert.equal(reader.redactor.redact('x value-redact-1'), 'x value-redact-1', 'not read yet');
      await reader.get('redact.me');
      assert.deepEqual(reader.redactor.redact({ auth: 'Bearer value-redact-1' }), {
        auth: 'Bearer [redacted]',
      });
    });

    test('a KEK of the wrong size is refused', () => {
      assert.throws(() => createVault({ store, kek: randomBytes(16) }), rejectsWith('SECRET_KEY_INVALID'));
    });
  });
}

describe('vault: the plaintext never reaches the SQLite file', () => {
  test('neither the database nor its WAL contains the value', async () => {
    const target = await makeSqliteTarget();
    try {
      const store = await createStore(target.options);
      const vault = createVault({ store, kek: randomBytes(32) });
      const value = `needle-${randomBytes(8).toString('hex')}`;
      await vault.set('needle', value);
      assert.equal(await vault.get('needle'), value);
      // Read while open (WAL holds the latest pages) and after close (checkpointed into the file).
      const files = () =>
        [target.options.sqlitePath, `${target.options.sqlitePath}-wal`].filter((f) => existsSync(f));
      const haystacks = files().map((file) => readFileSync(file));
      await store.close();
      haystacks.push(...files().map((file) => readFileSync(file)));
      assert.ok(haystacks.length >= 2);
      assert.ok(
        haystacks.some((bytes) => bytes.includes(Buffer.from('needle'))),
        'the name is stored in clear',
      );
      for (const bytes of haystacks) {
        assert.equal(bytes.includes(Buffer.from(value)), false);
        assert.equal(bytes.includes(Buffer.from(value, 'utf16le')), false);
      }
    } finally {
      await target.dispose();
    }
  });
});
