#!/usr/bin/env node
// Runs the whole suite with node:test. Node 20's --test takes no globs, so we list the files
// ourselves; `npm test -- test/store` narrows to files under the given paths.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const roots = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const extraFlags = process.argv.slice(2).filter((arg) => arg.startsWith('-'));
const searchRoots = roots.length > 0 ? roots : ['src', 'test'];

function collect(path, out) {
  const stat = statSync(path);
  if (stat.isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return out;
  }
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    collect(join(path, entry), out);
  }
  return out;
}

const files = searchRoots
  .flatMap((root) => collect(root, []))
  .map((file) => relative('.', file))
  .sort();
if (files.length === 0) {
  console.error(`no test files under ${searchRoots.join(', ')}`);
  process.exit(1);
}
const concurrency = process.env.CONFLUX_TEST_CONCURRENCY ?? '2';
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=300000',
    ...extraFlags,
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, CONFLUX_LOG_LEVEL: process.env.CONFLUX_LOG_LEVEL ?? 'silent' } },
);
process.exit(result.status ?? 1);
