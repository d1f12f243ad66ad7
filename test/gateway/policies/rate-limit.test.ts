import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { json, startProject, type TestProject, Upstream } from './harness.ts';

const REDIS = 'redis://127.0.0.1:6379';

/** A unique API name per run, so runs sharing the real Redis never share a limit. */
function apiName(): string {
  return `rl${randomBytes(4).toString('hex')}`;
}

function apiFile(name: string, upstream: string, perMinute = 3): string {
  return `name: ${name}
basePath: /${name}
visibility: public
auth: { type: none }
policies:
  rateLimit:
    default: { perMinute: ${perMinute} }
    plans:
      gold: { perMinute: 100 }
routes:
  - { method: GET, path: /echo, url: '${upstream}/echo' }
`;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let upstream: Upstream;
before(async () => {
  upstream = new Upstream();
  await upstream.start();
});
after(() => upstream.stop());

describe('rate limit, local memory', () => {
  let project: TestProject;
  const name = apiName();
  before(async () => {
    project = await startProject({ apis: { [name]: apiFile(name, upstream.url) } });
  });
  after(() => project.stop());

  test('allows the burst with RateLimit headers, then answers 429 with Retry-After naming the policy', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${project.url}/${name}/echo`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('ratelimit-policy'), '"minute";q=3;w=60');
      remaining.push(response.headers.get('ratelimit') ?? '');
      await response.arrayBuffer();
    }
    assert.match(remaining[0] ?? '', /^"minute";r=2;t=\d+$/);
    assert.match(remaining[2] ?? '', /^"minute";r=0;t=\d+$/);
    const refused = await fetch(`${project.url}/${name}/echo`);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('content-type'), 'application/problem+json');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 20, `Retry-After ${retryAfter}`);
    assert.match(refused.headers.get('ratelimit') ?? '', /^"minute";r=0;t=\d+$/);
    const problem = await json(refused);
    assert.equal(problem.code, 'GATEWAY_RATE_LIMITED');
    assert.equal(problem.policy, 'rate-limit');
    assert.match(String(problem.detail), /"minute"/);
  });
});

describe('rate limit, shared through the real Redis', () => {
  let first: TestProject;
  let second: TestProject;
  const name = apiName();
  before(async () => {
    first = await startProject({
      apis: { [name]: apiFile(name, upstream.url) },
      env: { CONFLUX_REDIS_URL: REDIS },
    });
    second = await startProject({
      apis: { [name]: apiFile(name, upstream.url) },
      env: { CONFLUX_REDIS_URL: REDIS },
    });
  });
  after(async () => {
    await first.stop();
    await second.stop();
  });

  test('two gateway instances share one limit', async () => {
    const statuses: number[] = [];
    for (const project of [first, second, first, second, first]) {
      const response = await fetch(`${project.url}/${name}/echo`);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    // 3 per minute across both instances; each alone would have allowed all of its 2-3 calls.
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  });
});

describe('rate limit when Redis is unreachable', () => {
  let project: TestProject;
  const name = apiName();
  before(async () => {
    const port = await closedPort();
    project = await startProject({
      apis: { [name]: apiFile(name, upstream.url) },
      env: { CONFLUX_REDIS_URL: `redis://127.0.0.1:${port}` },
    });
  });
  after(() => project.stop());

  test('falls open onto the local limiter, counts the failures, and never answers 401/403/500', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${project.url}/${name}/echo`);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const metrics = await fetch(`${project.platform.adminUrl}/metrics`, {
      headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' },
    });
    const text = await metrics.text();
    const line = /conflux_ratelimit_backend_errors_total\{backend="redis"\} (\d+)/.exec(text);
    assert.ok(line !== null, 'the backend error metric is exported');
    assert.equal(Number(line[1]), 4);
  });
});
