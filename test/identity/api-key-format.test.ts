import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateApiKey, isWellFormedApiKey, visiblePrefix } from '../../src/identity/index.ts';

test('keys carry prefix, environment, randomness and a valid checksum', () => {
  const { key, prefix } = generateApiKey('dev');
  assert.match(key, /^cfx_dev_[0-9A-Za-z]{36}$/);
  assert.equal(prefix, key.slice(0, 'cfx_dev_'.length + 6));
  assert.equal(visiblePrefix(key), prefix);
  assert.ok(isWellFormedApiKey(key));
});

test('a single mistyped character is caught by the checksum', () => {
  const { key } = generateApiKey('prod');
  let caught = 0;
  for (let i = 9; i < key.length; i++) {
    const replacement = key[i] === 'a' ? 'b' : 'a';
    const typo = key.slice(0, i) + replacement + key.slice(i + 1);
    if (!isWellFormedApiKey(typo)) caught++;
  }
  assert.equal(caught, key.length - 9);
});

test('keys are unique and not guessable from one another', () => {
  const keys = new Set(Array.from({ length: 2000 }, () => generateApiKey('dev').key));
  assert.equal(keys.size, 2000);
});

test('random text and other vendors keys are rejected without a lookup', () => {
  for (const text of [
    '',
    'cfx_',
    'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    'cfx_dev_short',
    `CFX_DEV_${'a'.repeat(36)}`,
  ]) {
    assert.equal(isWellFormedApiKey(text), false, text);
  }
});
