import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { ConfluxError } from '../../src/errors/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { kekIdOf, loadOrCreateKekFile, parseKek } from '../../src/secrets/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'conflux-kek-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('parseKek', () => {
  const key = randomBytes(32);

  test('accepts 64 hex characters (either case, surrounding whitespace)', () => {
    assert.deepEqual(parseKek(key.toString('hex')), key);
    assert.deepEqual(parseKek(` ${key.toString('hex').toUpperCase()}\n`), key);
  });

  test('accepts base64 and base64url of 32 bytes', () => {
    assert.deepEqual(parseKek(key.toString('base64')), key);
    assert.deepEqual(parseKek(key.toString('base64url')), key);
  });

  test('rejects anything else with SECRET_KEY_INVALID, naming the format and not the value', () => {
    const candidates = [
      '',
      'secret',
      key.toString('hex').slice(1),
      `${key.toString('hex')}00`,
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      `${key.toString('hex').slice(0, 63)}g`,
    ];
    for (const text of candidates) {
      assert.throws(
        () => parseKek(text, { source: 'CONFLUX_SECRET_KEY' }),
        (error: unknown) => {
          assert.ok(error instanceof ConfluxError);
          assert.equal(error.code, 'SECRET_KEY_INVALID');
          assert.match(
            error.message,
            /CONFLUX_SECRET_KEY must be 64 hex characters or the base64 encoding of 32 bytes/,
          );
          if (text.length > 0) assert.ok(!(error.message + JSON.stringify(error.details)).includes(text));
          return true;
        },
      );
    }
  });

  test('kekId is the first 8 hex characters of the SHA-256 of the key', () => {
    assert.equal(kekIdOf(Buffer.alloc(32)), '66687aad');
  });
});

describe('loadOrCreateKekFile', () => {
  test('creates the key file with mode 0600, warns without the key, and reads it back next time', async () => {
    const path = join(dir, 'project', '.conflux', 'secret.key');
    const first = capturingLogger();
    const kek = await loadOrCreateKekFile(path, first.logger);
    assert.equal(kek.length, 32);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(readFileSync(path, 'utf8').trim(), kek.toString('hex'));

    assert.equal(first.lines.length, 1);
    const line = first.lines[0] ?? {};
    assert.equal(line.level, 'warn');
    assert.match(String(line.msg), /generated a new key-encryption key/);
    assert.equal(line.kekId, kekIdOf(kek));
    const logged = JSON.stringify(first.lines);
    assert.ok(!logged.includes(kek.toString('hex')) && !logged.includes(kek.toString('base64')));

    const second = capturingLogger();
    assert.deepEqual(await loadOrCreateKekFile(path, second.logger), kek);
    assert.equal(second.lines.length, 0, 'no warning for an existing, private key file');
  });

  test('two starts at once agree on one key', async () => {
    const path = join(dir, 'race', 'secret.key');
    const { logger } = capturingLogger();
    const [a, b] = await Promise.all([loadOrCreateKekFile(path, logger), loadOrCreateKekFile(path, logger)]);
    assert.deepEqual(a, b);
  });

  test('warns about a key file others can read, and rejects a malformed one', async () => {
    const loose = join(dir, 'loose.key');
    writeFileSync(loose, randomBytes(32).toString('base64'), { mode: 0o644 });
    const { logger, lines } = capturingLogger();
    await loadOrCreateKekFile(loose, logger);
    assert.match(String(lines[0]?.msg), /chmod 600/);

    const bad = join(dir, 'bad.key');
    writeFileSync(bad, 'not-a-key', { mode: 0o600 });
    await assert.rejects(
      loadOrCreateKekFile(bad, logger),
      (error: unknown) =>
        error instanceof ConfluxError && error.code === 'SECRET_KEY_INVALID' && error.message.includes(bad),
    );
  });
});
