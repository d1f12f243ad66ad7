import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createStore } from '../../src/store/index.ts';
import { startCheckpointer } from '../../src/store/sqlite-checkpointer.ts';

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

test('when the checkpoint thread dies, the serving connection checkpoints by itself again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'conflux-checkpoint-'));
  const database = new Database(join(dir, 'serving.db'));
  database.pragma('journal_mode = WAL');
  const problems: string[] = [];
  try {
    // The thread opens the file by path with fileMustExist: a path that is not there kills it
    // at start, as any fault of the thread would.
    const checkpointer = startCheckpointer(database, join(dir, 'missing.db'), (problem) =>
      problems.push(problem),
    );
    assert.equal(database.pragma('wal_autocheckpoint', { simple: true }), 0);
    const deadline = Date.now() + 10_000;
    while (database.pragma('wal_autocheckpoint', { simple: true }) !== 1000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(database.pragma('wal_autocheckpoint', { simple: true }), 1000);
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /WAL checkpoint thread failed/);
    await checkpointer.stop();
  } finally {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
