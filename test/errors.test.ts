import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfluxError, errorCatalogue, toProblem } from '../src/errors/index.ts';

test('docs/errors.md lists every code of the catalogue, and nothing else', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1] ?? ''));
  const codes = Object.keys(errorCatalogue);
  assert.deepEqual(
    codes.filter((code) => !documented.has(code)),
    [],
    'codes missing from docs/errors.md',
  );
  assert.deepEqual(
    [...documented].filter((code) => !(code in errorCatalogue)),
    [],
    'docs/errors.md documents codes that do not exist',
  );
});

test('codes are UPPER_SNAKE with an area prefix', () => {
  for (const code of Object.keys(errorCatalogue)) assert.match(code, /^[A-Z]+(_[A-Z0-9]+)+$|^INTERNAL$/);
});

test('a problem names the code and hides the message of unexpected errors', () => {
  const user = toProblem(new ConfluxError('AUTH_KEY_MISSING', 'send x-api-key'), 'c-1');
  assert.equal(user.status, 401);
  assert.equal(user.code, 'AUTH_KEY_MISSING');
  assert.equal(user.detail, 'send x-api-key');
  assert.equal(user.correlationId, 'c-1');
  const internal = toProblem(new ConfluxError('INTERNAL', 'db password is hunter2'));
  assert.doesNotMatch(JSON.stringify(internal), /hunter2/);
});
