import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createStore } from '../../src/store/index.ts';

/** Rows in the database file alone, as a copy without its WAL sees them. */
function runsInMainFile(dir: string): number {
  const copy = join(dir, 'copy.db');
  rmSync(copy, { force: true });
  copyFileSync(join(dir, 'conflux.db'), copy);
  const db = new Database(copy, { readonly: true });
  try {
    const table = db.prepare("select 1 from sqlite_master where name = 'runs'").get();
    return table === undefined ? 0 : (db.prepare('select count(*) as n from runs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

test('background checkpoints copy committed runs into the database file while the store serves', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'conflux-checkpoint-'));
  const problems: string[] = [];
  const store = await createStore({
    sqlitePath: join(dir, 'conflux.db'),
    backgroundCheckpoints: { onProblem: (problem) => problems.push(problem) },
  });
  try {
    await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        store.runs.create({
          id: `run-${index}`,
          flow: 'f',
          flowVersion: 'v1',
          triggerType: 'test',
          input: { index },
          correlationId: `c-${index}`,
        }),
      ),
    );
    // The serving connection never checkpoints itself: the thread must have done it.
    const deadline = Date.now() + 10_000;
    let copied = runsInMainFile(dir);
    while (copied < 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      copied = runsInMainFile(dir);
    }
    assert.equal(copied, 200);
    assert.equal((await store.runs.countByStatus()).queued, 200);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(problems, []);
});
