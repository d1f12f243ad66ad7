import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningPlatform } from '../../src/platform/index.ts';
import { call, issueKey, startProject, startUpstream, writeProject } from './harness.ts';

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
