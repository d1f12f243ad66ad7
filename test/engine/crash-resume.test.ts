import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crashFlow } from './fixtures/crash-flow.ts';
import { flowMap, noMappings } from './fixtures/flows.ts';
import { createHarness, type Harness } from './fixtures/harness.ts';

const workerScript = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));

async function startWorker(sqlitePath: string, upstreamUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript, sqlitePath, upstreamUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
  await ready;
  return child;
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

  const first = await startWorker(h.sqlitePath, h.upstream.url);
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

  const second = await startWorker(h.sqlitePath, h.upstream.url);
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
