import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { json, startProject, type TestProject, Upstream } from './harness.ts';

let upstream: Upstream;
let project: TestProject;

before(async () => {
  upstream = new Upstream();
  await upstream.start();
  project = await startProject({
    apis: {
      shop: `name: shop
basePath: /shop
visibility: public
auth: { type: apiKey, header: x-api-key }
policies:
  cors:
    origins: [https://app.example.com, 'https://*.example.org']
    headers: [x-api-key, content-type]
    exposeHeaders: [x-request-id]
    credentials: true
    maxAgeSeconds: 120
  threatProtection:
    maxBodyBytes: 200
    maxUrlLength: 100
    maxJsonDepth: 3
    maxJsonKeys: 5
    denyRules:
      - { in: path, pattern: '\\.\\./' }
      - { in: header, name: user-agent, pattern: sqlmap }
      - { in: body, pattern: '<script' }
routes:
  - { method: GET, path: /items, url: '${upstream.url}/items' }
  - { method: POST, path: /items, url: '${upstream.url}/items' }
`,
      open: `name: open
basePath: /open
visibility: public
auth: { type: none }
policies:
  ipFilter: { deny: [127.0.0.0/8, '::1/128'] }
routes:
  - { method: GET, path: /blocked, url: '${upstream.url}/blocked' }
  - method: GET
    path: /allowed
    url: '${upstream.url}/allowed'
    policies:
      ipFilter: { allow: [10.0.0.0/8, 127.0.0.1/32] }
  - method: POST
    path: /users/{id}
    url: '${upstream.url}/users/{id}'
    policies:
      ipFilter: { allow: [127.0.0.1/32, '::1/128'] }
      validation:
        params: { type: object, properties: { id: { type: integer } } }
        query: { type: object, required: [mode], properties: { mode: { enum: [fast, safe] } } }
        body:
          type: object
          required: [email, age]
          additionalProperties: false
          properties: { email: { type: string, format: email }, age: { type: integer, minimum: 0 } }
`,
    },
  });
});

after(async () => {
  await project.stop();
  await upstream.stop();
});

describe('CORS', () => {
  test('a preflight is answered before authentication (no key), with the configured headers', async () => {
    const response = await fetch(`${project.url}/shop/items`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-api-key',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(response.headers.get('access-control-allow-methods'), 'GET, POST');
    assert.equal(response.headers.get('access-control-allow-headers'), 'x-api-key, content-type');
    assert.equal(response.headers.get('access-control-max-age'), '120');
    assert.match(response.headers.get('vary') ?? '', /Origin/);
  });

  test('wildcard subdomains match; the bare domain and other origins do not', async () => {
    const preflight = (origin: string) =>
      fetch(`${project.url}/shop/items`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
    const sub = await preflight('https://a.b.example.org');
    assert.equal(sub.status, 204);
    assert.equal(sub.headers.get('access-control-allow-origin'), 'https://a.b.example.org');
    const bare = await preflight('https://example.org');
    assert.equal(bare.status, 403);
    assert.equal((await json(bare)).policy, 'cors');
    const evil = await preflight('https://evil.com');
    assert.equal(evil.status, 403);
    assert.equal((await json(evil)).code, 'GATEWAY_CORS_REJECTED');
  });

  test('a method or header outside the lists is refused', async () => {
    const method = await fetch(`${project.url}/shop/items`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'DELETE' },
    });
    assert.equal(method.status, 403);
    const header = await fetch(`${project.url}/shop/items`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'x-secret',
      },
    });
    assert.equal(header.status, 403);
  });

  test('an actual request carries the CORS headers even when authentication refuses it', async () => {
    const response = await fetch(`${project.url}/shop/items`, {
      headers: { origin: 'https://app.example.com' },
    });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(response.headers.get('access-control-expose-headers'), 'x-request-id');
    assert.equal(response.headers.get('vary'), 'Origin');
  });
});

describe('threat protection', () => {
  test('a body over the limit is 413 before authentication', async () => {
    const response = await fetch(`${project.url}/shop/items`, {
      method: 'POST',
      body: 'x'.repeat(500),
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(response.status, 413);
    assert.equal((await json(response)).policy, 'threat-protection');
  });

  test('a chunked body over the limit is 413 too', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${project.url}/shop/items`,
        { method: 'POST', headers: { 'content-type': 'text/plain' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write('y'.repeat(100));
      req.end();
    });
    assert.equal(status, 413);
  });

  test('a long URL is 414', async () => {
    const response = await fetch(`${project.url}/shop/items?q=${'a'.repeat(200)}`);
    assert.equal(response.status, 414);
    assert.equal((await json(response)).code, 'GATEWAY_URI_TOO_LONG');
  });

  test('JSON depth, key count and prototype-pollution keys are refused with 400', async () => {
    const send = (body: string) =>
      fetch(`${project.url}/shop/items`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
    const deep = await json(await send('{"a":{"b":{"c":{"d":1}}}}'));
    assert.equal(deep.code, 'GATEWAY_THREAT_DETECTED');
    assert.match(String(deep.detail), /deeper than 3/);
    const many = await json(await send('{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}'));
    assert.match(String(many.detail), /more than 5 keys/);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const response = await send(`{"x":{"${key}":{"admin":true}}}`);
      assert.equal(response.status, 400);
      assert.match(String((await json(response)).detail), new RegExp(`"${key}" at body/x`));
    }
  });

  test('deny rules on path, header and body', async () => {
    const header = await fetch(`${project.url}/shop/items`, { headers: { 'user-agent': 'sqlmap/1.7' } });
    assert.equal(header.status, 400);
    assert.match(String((await json(header)).detail), /header user-agent/);
    const body = await fetch(`${project.url}/shop/items`, {
      method: 'POST',
      body: 'hi <script>',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(body.status, 400);
    assert.equal((await json(body)).policy, 'threat-protection');
  });
});

describe('IP filter', () => {
  test('a denied address is 403; a route-level allow list replaces the API deny list', async () => {
    const blocked = await fetch(`${project.url}/open/blocked`);
    assert.equal(blocked.status, 403);
    const problem = await json(blocked);
    assert.equal(problem.code, 'GATEWAY_IP_DENIED');
    assert.equal(problem.policy, 'ip-filter');
    const allowed = await fetch(`${project.url}/open/allowed`);
    assert.equal(allowed.status, 200);
  });
});

describe('request validation (inline schemas)', () => {
  test('400 names each failing field', async () => {
    const response = await fetch(`${project.url}/open/users/abc?mode=slow`, {
      method: 'POST',
      body: JSON.stringify({ email: 'not-an-email', extra: 1 }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 400);
    const problem = await json(response);
    assert.equal(problem.code, 'GATEWAY_REQUEST_INVALID');
    assert.equal(problem.policy, 'request-validation');
    const errors = problem.errors as string[];
    assert.ok(errors.includes('params/id: must be integer'), errors.join('\n'));
    assert.ok(errors.includes('query/mode: must be equal to one of the allowed values'), errors.join('\n'));
    assert.ok(errors.includes('body/email: must match format "email"'), errors.join('\n'));
    assert.ok(errors.includes('body/age: is required'), errors.join('\n'));
    assert.ok(errors.includes('body/extra: is not allowed'), errors.join('\n'));
  });

  test('a valid request passes and its body reaches the upstream intact', async () => {
    const response = await fetch(`${project.url}/open/users/42?mode=fast`, {
      method: 'POST',
      body: JSON.stringify({ email: 'a@example.com', age: 30 }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 200);
    const echoed = await json(response);
    assert.deepEqual(JSON.parse(String(echoed.body)), { email: 'a@example.com', age: 30 });
  });
});
