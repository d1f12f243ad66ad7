import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { json, startProject, type TestProject, Upstream } from './harness.ts';

let upstream: Upstream;
let project: TestProject;

before(async () => {
  upstream = new Upstream();
  await upstream.start();
  project = await startProject({
    files: {
      'specs/crm.openapi.yaml': `openapi: 3.0.3
info: { title: CRM, version: 1.0.0 }
paths:
  /contacts/{group}:
    post:
      operationId: createContact
      parameters:
        - { name: group, in: path, required: true, schema: { type: integer } }
        - { name: notify, in: query, required: true, schema: { type: boolean } }
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [email]
              properties: { email: { type: string, format: email }, phone: { type: string, nullable: true } }
      responses:
        '200': { description: ok }
`,
      'systems/crm.yaml': `name: crm
openapi: ../specs/crm.openapi.yaml
baseUrl: ${upstream.url}
`,
    },
    apis: {
      contacts: `name: contacts
basePath: /contacts
visibility: public
auth: { type: none }
policies:
  validation: {}
routes:
  - { method: POST, path: '/{group}', system: crm, operation: createContact }
`,
    },
  });
});

after(async () => {
  await project.stop();
  await upstream.stop();
});

test('a route to a system operation is validated against the operation description', async () => {
  const bad = await fetch(`${project.url}/contacts/x`, {
    method: 'POST',
    body: JSON.stringify({ email: 'nope', phone: null }),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(bad.status, 400);
  const errors = (await json(bad)).errors as string[];
  assert.deepEqual(
    errors.sort(),
    [
      'body/email: must match format "email"',
      'params/group: must be integer',
      'query/notify: is required',
    ].sort(),
  );
  const missing = await fetch(`${project.url}/contacts/1?notify=true`, { method: 'POST' });
  assert.deepEqual((await json(missing)).errors, ['body: is required']);
  const good = await fetch(`${project.url}/contacts/1?notify=true`, {
    method: 'POST',
    body: JSON.stringify({ email: 'a@example.com', phone: null }),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(good.status, 200);
  assert.deepEqual(JSON.parse(String((await json(good)).body)), { email: 'a@example.com', phone: null });
});
