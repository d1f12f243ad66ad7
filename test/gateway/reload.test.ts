import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { RunningPlatform } from '../../src/platform/index.ts';
import { ADMIN_TOKEN, call, issueKey, startProject, startUpstream, writeProject } from './harness.ts';

describe('configuration swaps atomically', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let oldUpstream: Awaited<ReturnType<typeof startUpstream>>;
  let newUpstream: Awaited<ReturnType<typeof startUpstream>>;
  let key: string;
  const held: (() => void)[] = [];

  const api = (url: string) =>
    `name: swap\nvisibility: public\nroutes:\n  - { method: GET, path: /which, url: '${url}/which' }\n`;

  before(async () => {
    oldUpstream = await startUpstream((_req, res) => {
      held.push(() => res.end('old'));
    });
    newUpstream = await startUpstream((_req, res) => res.end('new'));
    project = writeProject({ 'apis/swap.yaml': api(oldUpstream.url) });
    platform = await startProject(project.dir);
    key = await issueKey(platform, 'reloader');
  });

  after(async () => {
    await platform?.stop();
    await oldUpstream?.close();
    await newUpstream?.close();
    project?.remove();
  });

  test('an in-flight request finishes on the old config; new requests get the new one', async () => {
    const inFlight = call(platform.gatewayUrl, 'GET', '/which', { headers: { 'x-api-key': key } });
    for (let i = 0; i < 100 && held.length === 0; i++) await sleep(10);
    assert.equal(held.length, 1, 'the first request reached the old upstream');
    project.write('apis/swap.yaml', api(newUpstream.url));
    const reloaded = await platform.reload();
    assert.equal(reloaded.applied, true);
    assert.equal(
      (await call(platform.gatewayUrl, 'GET', '/which', { headers: { 'x-api-key': key } })).text,
      'new',
    );
    held[0]?.();
    const finished = await inFlight;
    assert.equal(finished.status, 200);
    assert.equal(finished.text, 'old');
  });

  test('an invalid change is rejected, with its line, and the last good config keeps serving', async () => {
    project.write(
      'apis/swap.yaml',
      `${api(newUpstream.url)}  - { method: GET, path: '/x/{id:nope}', url: 'http://127.0.0.1:1/' }\n`,
    );
    const rejected = await platform.reload();
    assert.equal(rejected.applied, false);
    assert.equal(rejected.problems[0]?.file, 'apis/swap.yaml');
    assert.equal(rejected.problems[0]?.line, 5);
    assert.equal(
      (await call(platform.gatewayUrl, 'GET', '/which', { headers: { 'x-api-key': key } })).text,
      'new',
    );
  });
});

describe('a reload must pass the conformance specs of the changed project', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let hello: Awaited<ReturnType<typeof startUpstream>>;
  let bye: Awaited<ReturnType<typeof startUpstream>>;
  const held: (() => void)[] = [];
  let key: string;

  const api = (url: string, extra = '') =>
    `name: shop\nbasePath: /shop\nvisibility: public\nroutes:\n  - { method: GET, path: /greeting, url: '${url}/greeting' }\n  - { method: GET, path: /held, url: '${url}/held' }\n${extra}`;
  const SPEC = `name: greeting
keys:
  visitor: { consumer: spec-visitor }
cases:
  - name: the greeting is hello
    request: { method: GET, path: /shop/greeting, headers: { x-api-key: '{{keys.visitor}}' } }
    expect: { status: 200, body: { greeting: hello } }
`;
  const admin = (method: string) =>
    call(platform.adminUrl, method, '/api/v1/project/reload', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });

  before(async () => {
    const upstream = (greeting: string) =>
      startUpstream((req, res) => {
        if (req.url === '/held') {
          held.push(() => res.end(greeting));
          return;
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ greeting }));
      });
    hello = await upstream('hello');
    bye = await upstream('bye');
    project = writeProject({ 'apis/shop.yaml': api(hello.url), 'specs/greeting.spec.yaml': SPEC });
    platform = await startProject(project.dir);
    key = await issueKey(platform, 'visitor');
  });

  after(async () => {
    await platform?.stop();
    await hello?.close();
    await bye?.close();
    project?.remove();
  });

  const greeting = async (path = '/shop/greeting') =>
    (await call(platform.gatewayUrl, 'GET', path, { headers: { 'x-api-key': key } })).text;

  test('the admin API says no reload has happened yet', async () => {
    const status = await admin('GET');
    assert.equal(status.status, 200);
    assert.deepEqual(status.json(), { outcome: 'none', at: null, problems: [], conformance: null });
  });

  test('a change that breaks a spec is rejected with the failing case; the old config keeps serving', async () => {
    project.write('apis/shop.yaml', api(bye.url));
    const answer = await admin('POST');
    assert.equal(answer.status, 200);
    const status = answer.json<{
      outcome: string;
      problems: { file: string; line: number; rule: string; message: string }[];
      conformance: { passed: number; failed: number; failures: { name: string; diffs: string[] }[] };
    }>();
    assert.equal(status.outcome, 'rejected');
    assert.deepEqual(
      status.problems.map(({ file, line, rule }) => ({ file, line, rule })),
      [{ file: 'specs/greeting.spec.yaml', line: 5, rule: 'conformance' }],
    );
    assert.match(status.problems[0]?.message ?? '', /the greeting is hello/);
    assert.deepEqual(status.conformance.failures, [
      {
        spec: 'greeting',
        file: 'specs/greeting.spec.yaml',
        line: 5,
        name: 'the greeting is hello',
        diffs: ['body.greeting: expected "hello", got "bye"'],
      },
    ]);
    assert.equal(JSON.parse(await greeting()).greeting, 'hello', 'the old upstream still answers');
    // The status stays readable, and the check left nothing in the serving store.
    assert.equal((await admin('GET')).json<{ outcome: string }>().outcome, 'rejected');
    assert.deepEqual(await platform.core.keys.list({ consumer: 'spec-visitor' }), []);
  });

  test('a change that passes the specs is applied, while a request in flight finishes on the old config', async () => {
    const inFlight = call(platform.gatewayUrl, 'GET', '/shop/held', { headers: { 'x-api-key': key } });
    for (let i = 0; i < 100 && held.length === 0; i++) await sleep(10);
    assert.equal(held.length, 1, 'the request reached the old upstream');
    project.write(
      'apis/shop.yaml',
      api(hello.url, `  - { method: GET, path: /farewell, url: '${bye.url}/farewell' }\n`),
    );
    const result = await platform.reload();
    assert.deepEqual(result.problems, []);
    assert.equal(result.applied, true);
    assert.equal(result.conformance?.passed, 1);
    assert.equal(JSON.parse(await greeting('/shop/farewell')).greeting, 'bye');
    const status = (await admin('GET')).json<{ outcome: string; conformance: { passed: number } }>();
    assert.equal(status.outcome, 'applied');
    assert.equal(status.conformance.passed, 1);
    held.shift()?.();
    const finished = await inFlight;
    assert.equal(finished.status, 200);
    assert.equal(finished.text, 'hello');
  });

  test('reload.conformance: false in conflux.yaml skips the specs', async () => {
    project.write('conflux.yaml', 'name: gwtest\nreload: { conformance: false }\n');
    project.write('apis/shop.yaml', api(bye.url));
    const result = await platform.reload();
    assert.equal(result.applied, true);
    assert.equal(result.conformance, undefined);
    assert.equal(JSON.parse(await greeting()).greeting, 'bye');
  });
});

test('the reload check runs every target of the conformance fixture as `conflux test --gateway` does', async () => {
  const copy = mkdtempSync(join(tmpdir(), 'conflux-reload-fixture-'));
  cpSync(fileURLToPath(new URL('./fixtures/conformance/', import.meta.url)), copy, { recursive: true });
  const platform = await startProject(copy);
  try {
    const result = await platform.reload();
    const failures = (result.conformance?.results ?? [])
      .filter((item) => !item.passed)
      .map((item) => `${item.name}: ${item.diffs.join('; ')}`);
    assert.deepEqual(failures, []);
    assert.equal(result.applied, true);
    assert.ok((result.conformance?.passed ?? 0) >= 15, `ran ${result.conformance?.passed} cases`);
  } finally {
    await platform.stop();
    rmSync(copy, { recursive: true, force: true });
  }
});
