import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningPlatform } from '../../src/platform/index.ts';
import { issueKey, startProject, startUpstream, writeProject } from './harness.ts';

const TOTAL = 20 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 120);

/**
 * Backpressure, proven without assuming buffer sizes: while one side reads nothing, the other
 * stalls (its count stops growing) short of the whole 20 MB; a gateway that buffered bodies
 * would let it write everything.
 */
async function assertStalled(count: () => number, what: string): Promise<void> {
  // Buffers take a moment to fill on a busy machine: wait until the count stops growing.
  let last = -1;
  for (let i = 0; i < 25 && count() !== last; i++) {
    last = count();
    await sleep(200);
  }
  assert.equal(count(), last, `${what} kept going while the other side read nothing`);
  assert.ok(last < TOTAL, `${what} sent all ${TOTAL} bytes while the other side read nothing`);
}

describe('proxy streams 20 MB bodies both ways without buffering them', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let key: string;
  const download = { written: 0 };
  const upload = { received: 0, resume: () => {} };

  before(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url === '/download') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': TOTAL });
        const pump = () => {
          while (download.written < TOTAL) {
            download.written += CHUNK.length;
            if (!res.write(CHUNK)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
        return;
      }
      // Upload: read nothing until the test says so, then count.
      req.pause();
      upload.resume = () => {
        req.on('data', (chunk: Buffer) => {
          upload.received += chunk.length;
        });
        req.on('end', () => res.end(JSON.stringify({ received: upload.received })));
        req.resume();
      };
    });
    project = writeProject({
      'apis/files.yaml': `name: files
visibility: public
routes:
  - { method: GET, path: /download, url: '${upstream.url}/download' }
  - { method: PUT, path: /upload, url: '${upstream.url}/upload' }
`,
    });
    platform = await startProject(project.dir);
    key = await issueKey(platform, 'streamer');
  });

  after(async () => {
    await platform?.stop();
    await upstream?.close();
    project?.remove();
  });

  test('a slow-reading client holds the upstream back (response streaming)', async () => {
    const url = new URL('/download', platform.gatewayUrl);
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      request(
        { host: url.hostname, port: url.port, path: url.pathname, headers: { 'x-api-key': key } },
        resolve,
      )
        .on('error', reject)
        .end();
    });
    assert.equal(res.statusCode, 200);
    res.pause();
    await assertStalled(() => download.written, 'the upstream');
    let received = 0;
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    res.resume();
    await new Promise((resolve) => res.on('end', resolve));
    assert.equal(received, TOTAL);
  });

  test('a slow-reading upstream holds the client back (request streaming)', async () => {
    const url = new URL('/upload', platform.gatewayUrl);
    let sent = 0;
    const answer = new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'PUT',
          headers: { 'x-api-key': key, 'content-length': TOTAL },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      const pump = () => {
        while (sent < TOTAL) {
          sent += CHUNK.length;
          if (!req.write(CHUNK)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    await assertStalled(() => sent, 'the client');
    upload.resume();
    assert.deepEqual(JSON.parse(await answer), { received: TOTAL });
  });
});
