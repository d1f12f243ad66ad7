import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type ConfluxProcess, REPO, startConflux, stopConflux } from './harness.ts';
import { Ledger, writeSliceProject } from './slice-fixture.ts';

let dir: string;
let ledger: Ledger;
let dev: ConfluxProcess;
let apiFile: string;

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  ledger = new Ledger();
  await ledger.start();
  dir = mkdtempSync(join(tmpdir(), 'conflux-dev-'));
  writeSliceProject(dir, ledger.url);
  // An open API, so the test needs no key.
  apiFile = join(dir, 'apis/books.yaml');
  writeFileSync(
    apiFile,
    readFileSync(apiFile, 'utf8').replace(
      'auth: { type: apiKey, header: x-api-key }',
      'auth: { type: none }',
    ),
  );
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'secret', 'set', 'ledger-key', '--project', dir],
    {
      cwd: REPO,
      input: 'hot-reload-secret',
    },
  );
  dev = await startConflux(dir, { command: 'dev' });
});

after(async () => {
  if (dev !== undefined) await stopConflux(dev);
  await ledger.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a valid change applies without dropping the request in flight', async () => {
  ledger.hold();
  const before = ledger.count('/slow');
  const inFlight = fetch(`${dev.gatewayUrl}/v1/slow`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  await until(async () => ledger.count('/slow') > before, 'the slow request to reach the upstream');

  // Add a route to the API while the request is still open.
  writeFileSync(
    apiFile,
    `${readFileSync(apiFile, 'utf8')}  - { method: GET, path: '/ledger/{id}', system: ledger, operation: getEntry }\n`,
  );
  await until(
    async () => (await fetch(`${dev.gatewayUrl}/v1/ledger/E-9`)).status === 200,
    'the new route to serve',
  );
  assert.match(dev.output(), /project reloaded/);

  ledger.release();
  const response = await inFlight;
  assert.equal(response.status, 200, 'the request that started on the old configuration completed');
});

test('an invalid change is rejected with its location and the last good project keeps serving', async () => {
  const good = readFileSync(apiFile, 'utf8');
  writeFileSync(apiFile, good.replace("path: '/ledger/{id}'", "pathh: '/ledger/{id}'"));
  await until(async () => /project change rejected/.test(dev.output()), 'the rejection to be reported');
  assert.match(dev.output(), /apis\/books\.yaml:\d+:\d+/);
  assert.equal(
    (await fetch(`${dev.gatewayUrl}/v1/ledger/E-9`)).status,
    200,
    'still serving the last good version',
  );
  writeFileSync(apiFile, good);
});
