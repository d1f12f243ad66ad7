import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crashFlow } from './fixtures/crash-flow.ts';
import { flowMap, noMappings } from './fixtures/flows.ts';
import { createHarness, type Harness } from './fixtures/harness.ts';

const workerScript = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));

async function startWorker(
  sqlitePath: string,
  upstreamUrl: string,
  mode: 'claim' | 'eager' = 'claim',
): Promise<{ child: ChildProcess; eagerRun?: { id: string; status: string } }> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript, sqlitePath, upstreamUrl, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const awaited = mode === 'eager' ? /run (\S+) (\S+)\n/ : /ready\n/;
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = awaited.exec(output);
      if (found !== null) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
  return mode === 'eager'
    ? { child, eagerRun: { id: match[1] as string, status: match[2] as string } }
    : { child };
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

let h: Harness;
const children: ChildProcess[] = [];
before(async () => {
  h = await createHarness();
});
after(async () => {
  for (const child of children) await kill(child, 'SIGKILL');
  await h.close();
});

test('a worker killed mid-step is resumed by another: no completed step runs twice', async () => {
  // The first call of step 2 hangs for 1 s: the window in which the worker is killed.
  h.upstream.behave('/payments/charge', { firstDelayMs: 1000 });
  // This process only queues the run (its engine is never started); the children execute it.
  const queuer = h.engine();
  queuer.load(flowMap(crashFlow), noMappings);

  const { child: first } = await startWorker(h.sqlitePath, h.upstream.url);
  children.push(first);
  const run = await queuer.startRun(
    'crash-order',
    { sku: 'A1' },
    { triggerType: 'test', correlationId: 'crash-1' },
  );
  await h.upstream.arrived('/payments/charge');
  const recorded = await h.store.runs.listSteps(run.id);
  assert.deepEqual(
    recorded.map((step) => step.stepId),
    ['reserve'],
    'step 1 is persisted before step 2 starts',
  );
  await kill(first, 'SIGKILL');
  assert.equal((await h.store.runs.get(run.id))?.status, 'running', 'the dead worker still holds the lease');

  const { child: second } = await startWorker(h.sqlitePath, h.upstream.url);
  children.push(second);
  const done = await queuer.waitForRun(run.id, 20_000);
  await kill(second, 'SIGTERM');

  assert.equal(done.status, 'succeeded');
  assert.deepEqual(done.output, { reserved: 200, charged: 200 });
  assert.equal(h.upstream.count(`${run.id}:reserve`), 1, 'step 1 side effect happened once');
  // Step 2 was in flight when the worker died: it is repeated, under the same idempotency key.
  assert.equal(h.upstream.count(`${run.id}:charge`), 2);
  const steps = await h.store.runs.listSteps(run.id);
  assert.deepEqual(
    steps.map((step) => [step.stepId, step.status]),
    [
      ['reserve', 'succeeded'],
      ['charge', 'succeeded'],
      ['confirm', 'succeeded'],
    ],
  );
  assert.equal(done.attempts, 2, 'claimed twice: once per worker');
});

test('a run started eagerly (sync webhook) in a process killed mid-step is resumed by another', async () => {
  h.upstream.behave('/payments/charge', { firstDelayMs: 1000 });
  const watcher = h.engine();
  watcher.load(flowMap(crashFlow), noMappings);
  const { child: first, eagerRun } = await startWorker(h.sqlitePath, h.upstream.url, 'eager');
  children.push(first);
  assert.equal(eagerRun?.status, 'running', 'created under the starting process lease');
  const runId = eagerRun?.id as string;
  // The upstream already saw the first test's calls: wait for this run's own step 2.
  for (const deadline = Date.now() + 10_000; h.upstream.count(`${runId}:charge`) === 0; ) {
    assert.ok(Date.now() < deadline, 'step 2 of the eager run never arrived');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.deepEqual(
    (await h.store.runs.listSteps(runId)).map((step) => step.stepId),
    ['reserve'],
    'step 1 is persisted before step 2 starts',
  );
  await kill(first, 'SIGKILL');
  assert.equal((await h.store.runs.get(runId))?.status, 'running', 'the dead process still holds the lease');

  const { child: second } = await startWorker(h.sqlitePath, h.upstream.url);
  children.push(second);
  const done = await watcher.waitForRun(runId, 20_000);
  await kill(second, 'SIGTERM');
  assert.equal(done.status, 'succeeded');
  assert.equal(h.upstream.count(`${runId}:reserve`), 1, 'step 1 side effect happened once');
  assert.equal(h.upstream.count(`${runId}:charge`), 2, 'the step in flight is repeated under its key');
  assert.equal(done.attempts, 2, 'the eager start, then one claim');
});
