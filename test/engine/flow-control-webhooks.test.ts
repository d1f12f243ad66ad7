/**
 * Debounce and batching through the real gateway of a real `conflux start` process: webhooks
 * over HTTP, runs read back over the admin API, and a SIGKILL while triggers are collected
 * followed by a restart that still starts their runs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { type ConfluxProcess, REPO, startConflux, stopConflux } from '../e2e/harness.ts';

const echo = "steps:\n  - { id: echo, type: map, expression: 'trigger.body' }\n";

function writeProject(dir: string): void {
  mkdirSync(join(dir, 'flows'), { recursive: true });
  writeFileSync(join(dir, 'conflux.yaml'), 'name: collect\nshutdown: { timeoutMs: 3000 }\n');
  writeFileSync(
    join(dir, 'flows/debounce-hook.yaml'),
    `name: debounce-hook
triggers:
  - { type: webhook, path: debounce }
control:
  debounce: { period: 2s, key: 'trigger.body.customer' }
${echo}`,
  );
  writeFileSync(
    join(dir, 'flows/batch-hook.yaml'),
    `name: batch-hook
triggers:
  - { type: webhook, path: batch }
control:
  batch: { maxItems: 3, maxWait: 2s, key: 'trigger.body.tenant' }
steps:
  - { id: sum, type: map, expression: '{"n": $count(trigger), "items": trigger.body.i}' }
`,
  );
  // Long windows: the process is killed while these triggers are still collected.
  writeFileSync(
    join(dir, 'flows/slow-debounce.yaml'),
    `name: slow-debounce
triggers:
  - { type: webhook, path: slow-debounce }
control:
  debounce: { period: 4s }
${echo}`,
  );
  writeFileSync(
    join(dir, 'flows/slow-batch.yaml'),
    `name: slow-batch
triggers:
  - { type: webhook, path: slow-batch }
control:
  batch: { maxItems: 10, maxWait: 4s }
steps:
  - { id: items, type: map, expression: 'trigger.body.i' }
`,
  );
}

interface RunView {
  id: string;
  status: string;
  input: unknown;
  output: unknown;
  collected?: { seq: number; status: string; supersededBy: string | null; input: unknown }[];
}

describe('debounce and batching over real webhooks', () => {
  let dir: string;
  let proc: ConfluxProcess;
  const hook = async (path: string, body: unknown): Promise<string> => {
    const response = await fetch(`${proc.gatewayUrl}/hooks/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 202);
    return ((await response.json()) as { runId: string }).runId;
  };
  const run = async (id: string): Promise<RunView> => {
    const response = await fetch(`${proc.adminUrl}/api/v1/runs/${id}`, {
      headers: { authorization: `Bearer ${proc.adminToken}` },
    });
    assert.equal(response.status, 200);
    return (await response.json()) as RunView;
  };
  const finished = async (id: string): Promise<RunView> => {
    for (let tries = 0; tries < 600; tries += 1) {
      const current = await run(id);
      if (current.status !== 'queued' && current.status !== 'running') return current;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${id} did not finish`);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'conflux-collect-'));
    writeProject(dir);
    proc = await startConflux(dir);
  });
  after(async () => {
    await stopConflux(proc);
    rmSync(dir, { recursive: true, force: true });
  });

  test('debounce: a burst of webhooks starts one run, with the last body', async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 4; n += 1) ids.push(await hook('debounce', { customer: 'acme', n }));
    const otherKey = await hook('debounce', { customer: 'globex', n: 1 });
    assert.equal(new Set(ids).size, 1, 'every webhook of the burst names the same run');
    assert.notEqual(otherKey, ids[0]);
    const done = await finished(ids[0] ?? '');
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.output, { customer: 'acme', n: 4 });
    assert.deepEqual((done.input as { body: unknown }).body, { customer: 'acme', n: 4 });
    // The admin API shows every collected trigger: three superseded, each by the next one.
    const collected = done.collected ?? [];
    assert.deepEqual(
      collected.map((trigger) => [
        trigger.seq,
        trigger.status,
        (trigger.input as { body: { n: number } }).body.n,
      ]),
      [
        [1, 'superseded', 1],
        [2, 'superseded', 2],
        [3, 'superseded', 3],
        [4, 'started', 4],
      ],
    );
    assert.ok(collected.slice(0, 3).every((trigger) => trigger.supersededBy !== null));
    assert.equal(collected[3]?.supersededBy, null);
    assert.deepEqual((await finished(otherKey)).output, { customer: 'globex', n: 1 });
    // The CLI, beside the running server, prints one line per collected trigger.
    const shown = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'runs', 'show', ids[0] ?? '', '--project', dir],
      { cwd: REPO, timeout: 60_000 },
    );
    assert.equal((shown.stdout.match(/trigger #\d superseded by /g) ?? []).length, 3);
    assert.match(shown.stdout, /trigger #4 started/);
  });

  test('batch: seven webhooks make batches of 3, 3 and 1 in arrival order', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 7; i += 1) ids.push(await hook('batch', { tenant: 't1', i }));
    assert.deepEqual(
      ids.map((id) => ids.indexOf(id)),
      [0, 0, 0, 3, 3, 3, 6],
      'three runs: two full batches and a last one',
    );
    const outputs = await Promise.all(
      [ids[0], ids[3], ids[6]].map(async (id) => (await finished(id ?? '')).output),
    );
    assert.deepEqual(outputs, [
      { n: 3, items: [1, 2, 3] },
      { n: 3, items: [4, 5, 6] },
      { n: 1, items: 7 },
    ]);
  });

  test('collected triggers survive a SIGKILL: after a restart their runs start', async () => {
    const debounced = [await hook('slow-debounce', { n: 1 }), await hook('slow-debounce', { n: 2 })];
    const batched = [await hook('slow-batch', { i: 1 }), await hook('slow-batch', { i: 2 })];
    assert.equal(debounced[0], debounced[1]);
    assert.equal(batched[0], batched[1]);
    proc.child.kill('SIGKILL');
    await proc.exited;
    proc = await startConflux(dir);
    const debounceRun = await finished(debounced[0] ?? '');
    assert.equal(debounceRun.status, 'succeeded');
    assert.deepEqual(debounceRun.output, { n: 2 });
    const batchRun = await finished(batched[0] ?? '');
    assert.equal(batchRun.status, 'succeeded');
    assert.deepEqual(batchRun.output, [1, 2]);

    // The superseded trigger is on record with the run, in the store the process wrote.
    const db = new SqliteDatabase(join(dir, '.conflux', 'conflux.db'), { readonly: true });
    try {
      const rows = db
        .prepare('select status, input from flow_control_triggers where run_id = ? order by seq')
        .all(debounced[0]) as { status: string; input: string }[];
      assert.deepEqual(
        rows.map((row) => [row.status, (JSON.parse(row.input) as { body: unknown }).body]),
        [
          ['superseded', { n: 1 }],
          ['started', { n: 2 }],
        ],
      );
    } finally {
      db.close();
    }
  });
});
