import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchProject } from '../../src/project/index.ts';
import { isIgnored } from '../../src/project/watch-project.ts';
import { emptyDir, removeTempDirs } from './helpers.ts';

after(removeTempDirs);

/** Waits until `count()` reaches `target`, polling; bounded so a broken watcher fails the test. */
async function until(count: () => number, target: number): Promise<void> {
  for (let i = 0; i < 100 && count() < target; i += 1) await sleep(20);
}

test('fires once per burst of changes, and again for a later burst', async () => {
  const root = emptyDir();
  mkdirSync(join(root, 'flows'));
  let calls = 0;
  const watcher = watchProject(root, () => (calls += 1), { debounceMs: 150 });
  try {
    await sleep(50); // let the recursive watcher attach to the subfolders
    for (let i = 0; i < 5; i += 1) writeFileSync(join(root, 'flows', `f${i}.yaml`), `name: f${i}\n`);
    writeFileSync(join(root, 'conflux.yaml'), 'name: x\n');
    await until(() => calls, 1);
    await sleep(400); // a second call for the same burst would arrive in this window
    assert.equal(calls, 1);

    writeFileSync(join(root, 'flows', 'f0.yaml'), 'name: f0\ndescription: changed\n');
    await until(() => calls, 2);
    assert.equal(calls, 2);
  } finally {
    watcher.close();
  }
});

test('ignores the store folder and editor temp files, and stops after close', async () => {
  const root = emptyDir();
  mkdirSync(join(root, '.conflux'));
  let calls = 0;
  const watcher = watchProject(root, () => (calls += 1), { debounceMs: 50 });
  await sleep(50);
  writeFileSync(join(root, '.conflux', 'store.sqlite'), 'x');
  writeFileSync(join(root, '.conflux.yaml.swp'), 'x');
  writeFileSync(join(root, 'conflux.yaml~'), 'x');
  await sleep(300);
  assert.equal(calls, 0);
  watcher.close();
  writeFileSync(join(root, 'conflux.yaml'), 'name: x\n');
  await sleep(200);
  assert.equal(calls, 0);
});

test('isIgnored knows the usual editor leftovers', () => {
  for (const path of [
    '.conflux/x.db',
    'flows/.x.yaml.swp',
    'x~',
    '.#x.yaml',
    '#x.yaml#',
    '4913',
    'x.yaml.tmp.123',
  ]) {
    assert.equal(isIgnored(path), true, path);
  }
  for (const path of ['conflux.yaml', 'flows/x.yaml', 'mappings/a.jsonata', 'specs/s.openapi.yaml']) {
    assert.equal(isIgnored(path), false, path);
  }
});
