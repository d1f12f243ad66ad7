import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { compileErrors, validate } from '@readme/openapi-parser';
import type { RunningPlatform } from '../../src/platform/index.ts';
import { loadProject } from '../../src/project/index.ts';
import { CATALOG_OPENAPI, call, issueKey, startProject, systemFile, writeProject } from './harness.ts';

let platform: RunningPlatform;
let project: ReturnType<typeof writeProject>;

const API = `name: catalog
basePath: /catalog
visibility: public
registration: { plan: trial, perHour: 3 }
policies:
  rateLimit:
    default: { perMinute: 100 }
    plans: { trial: { perMinute: 2 } }
routes:
  - { method: GET, path: '/items/{id}', mock: { system: catalog, operation: getItem } }
`;

before(async () => {
  project = writeProject({
    'specs/catalog.openapi.yaml': CATALOG_OPENAPI,
    'systems/catalog.yaml': systemFile('catalog', 'http://127.0.0.1:1'),
    'apis/catalog.yaml': API,
    'apis/other.yaml': `name: other\nbasePath: /other\nvisibility: public\nroutes:\n  - { method: GET, path: '/items/{id}', mock: { system: catalog, operation: getItem } }\n`,
  });
  platform = await startProject(project.dir);
});

after(async () => {
  await platform?.stop();
  project?.remove();
});

const register = (body: unknown) =>
  call(platform.gatewayUrl, 'POST', '/catalog/register', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

test('a registration creates a public consumer on the plan, allowed this API only, and answers its key once', async () => {
  const answer = await register({ application: 'Lamp Finder', email: 'dev@lamps.example' });
  assert.equal(answer.status, 201);
  assert.equal(answer.headers['cache-control'], 'no-store');
  const registered = answer.json<{ consumer: string; plan: string; apis: string[]; key: string }>();
  assert.match(registered.consumer, /^lamp-finder-[0-9a-f]{8}$/);
  assert.equal(registered.plan, 'trial');
  assert.deepEqual(registered.apis, ['catalog']);

  const consumer = await platform.core.store.consumers.get(registered.consumer);
  assert.equal(consumer?.type, 'public');
  assert.equal(consumer?.plan, 'trial');
  assert.deepEqual(consumer?.contact, { name: 'Lamp Finder', email: 'dev@lamps.example' });
  assert.ok(await platform.core.store.plans.get('trial'), 'the plan was created on first use');

  const headers = { 'x-api-key': registered.key };
  const first = await call(platform.gatewayUrl, 'GET', '/catalog/items/7', { headers });
  assert.equal(first.status, 200);
  assert.equal(first.headers['ratelimit-policy'], '"minute";q=2;w=60', 'the plan picks the tier');
  await call(platform.gatewayUrl, 'GET', '/catalog/items/7', { headers });
  const third = await call(platform.gatewayUrl, 'GET', '/catalog/items/7', { headers });
  assert.equal(third.status, 429);
  assert.equal(third.json().code, 'GATEWAY_RATE_LIMITED');

  const other = await call(platform.gatewayUrl, 'GET', '/other/items/7', { headers });
  assert.equal(other.status, 404, 'the key is for the API it was registered for');
});

test('an invalid registration is 400 naming each field', async () => {
  const answer = await register({ application: '', email: 'not-an-address' });
  assert.equal(answer.status, 400);
  const problem = answer.json<{ code: string; errors: string[] }>();
  assert.equal(problem.code, 'GATEWAY_REQUEST_INVALID');
  assert.deepEqual(problem.errors, [
    'body/application: must be 1-63 letters, digits, spaces, dots, dashes or underscores',
    'body/email: must be an email address',
  ]);
  const notJson = await call(platform.gatewayUrl, 'POST', '/catalog/register', {
    headers: { 'content-type': 'text/plain' },
    body: 'hello',
  });
  assert.equal(notJson.status, 400);
  assert.equal(notJson.json().code, 'GATEWAY_BODY_INVALID');
});

test('registrations are limited per client address and hour', async () => {
  // perHour 3, and this address has sent three already (one valid, two invalid: every attempt
  // counts, so a flood of bad bodies is limited too).
  const refused = await register({ application: 'one more', email: 'x@y.example' });
  assert.equal(refused.status, 429);
  assert.equal(refused.headers['ratelimit-policy'], '"hour";q=3;w=3600');
  assert.equal(refused.json().policy, 'rate-limit');
  assert.ok(Number(refused.headers['retry-after']) > 0);
});

test('registration is refused on APIs that are not public with API keys, at its line', async () => {
  const broken = writeProject({
    'apis/p.yaml': `name: p\nvisibility: partner\nauth: { type: none }\nregistration: { plan: trial }\nroutes:\n  - { method: GET, path: /x, url: 'http://127.0.0.1:1/x' }\n`,
  });
  try {
    const { problems } = await loadProject(broken.dir);
    const problem = problems.find((p) => p.message.includes('registration'));
    assert.equal(problem?.file, 'apis/p.yaml');
    assert.equal(problem?.line, 4);
  } finally {
    broken.remove();
  }
});

test('the API document describes the registration operation, with no credential required', async () => {
  const key = await issueKey(platform, 'doc-reader');
  const answer = await call(platform.gatewayUrl, 'GET', '/catalog/openapi.json', {
    headers: { 'x-api-key': key },
  });
  assert.equal(answer.status, 200);
  const document = answer.json<{
    security: unknown[];
    paths: Record<
      string,
      { post?: { operationId: string; security: unknown[]; responses: Record<string, unknown> } }
    >;
  }>();
  const result = await validate(structuredClone(document) as never);
  assert.equal(result.valid, true, result.valid ? '' : compileErrors(result));
  const operation = document.paths['/catalog/register']?.post;
  assert.equal(operation?.operationId, 'register');
  assert.deepEqual(operation?.security, [], 'registration overrides the API key requirement');
  assert.deepEqual(Object.keys(operation?.responses ?? {}).sort(), ['201', '400', '429']);
  assert.deepEqual(document.security, [{ apiKey: [] }], 'every other operation still needs a key');
});
