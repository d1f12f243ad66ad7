import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { diffOpenApi } from '../../src/gateway/index.ts';
import { loadApiDocument } from '../../src/platform/index.ts';
import { writeProject } from './harness.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

const description = (v2: boolean) => `openapi: 3.1.0
info: { title: Catalog, version: 1.0.0 }
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - { name: id, in: path, required: true, schema: { type: ${v2 ? 'integer' : 'string'} } }
        ${v2 ? '- { name: region, in: query, required: true, schema: { type: string } }' : ''}
      responses:
        '200':
          description: The item
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: { type: string }
                  ${v2 ? '' : 'name: { type: string }'}
                  price: { type: number }
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [name${v2 ? ', sku' : ''}], properties: { name: { type: string }, sku: { type: string } } }
      responses:
        '201': { description: Created }
`;

const api = (v2: boolean) => `name: cat
visibility: public
routes:
  - { method: GET, path: '/items/{id}', system: catalog, operation: getItem }
  - { method: POST, path: /items, system: catalog, operation: createItem }
  ${v2 ? "- { method: GET, path: /health, url: 'http://127.0.0.1:1/h' }" : "- { method: DELETE, path: '/items/{id}', url: 'http://127.0.0.1:1/d' }"}
`;

function project(v2: boolean) {
  return writeProject({
    'specs/catalog.openapi.yaml': description(v2),
    'systems/catalog.yaml':
      'name: catalog\nopenapi: ../specs/catalog.openapi.yaml\nbaseUrl: http://127.0.0.1:1\n',
    'apis/cat.yaml': api(v2),
  });
}

describe('conflux api diff', () => {
  const old = project(false);
  const next = project(true);
  after(() => {
    old.remove();
    next.remove();
  });

  test('lists added, removed and changed operations and flags the breaking changes', async () => {
    const diff = diffOpenApi(
      await loadApiDocument(old.dir, { projectRoot: old.dir }),
      await loadApiDocument(next.dir, { projectRoot: next.dir }),
    );
    assert.deepEqual(diff.added, ['GET /health']);
    assert.deepEqual(diff.removed, ['DELETE /items/{}']);
    assert.deepEqual([...diff.breaking].sort(), [
      'DELETE /items/{}: operation removed',
      'GET /items/{}: path parameter id: type string → integer',
      'GET /items/{}: query parameter region added (required)',
      'GET /items/{}: response 200: property name removed',
      'POST /items: request body: property sku became required',
    ]);
  });

  test('identical documents have no changes; widening a request is not breaking', () => {
    const doc = (type: string[]) => ({
      openapi: '3.1.0',
      paths: {
        '/a': {
          post: {
            requestBody: { content: { 'application/json': { schema: { type } } } },
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    });
    assert.deepEqual(diffOpenApi(doc(['string']), doc(['string'])), {
      added: [],
      removed: [],
      changed: [],
      breaking: [],
    });
    const widened = diffOpenApi(doc(['string']), doc(['string', 'number']));
    assert.deepEqual(widened.breaking, []);
    assert.equal(widened.changed.length, 1);
  });

  test('the CLI prints the changelog and fails on breaking changes when asked', async () => {
    // One process (a CLI start is slow on a loaded machine): JSON out, exit code 1.
    const run = promisify(execFile);
    await assert.rejects(
      run(process.execPath, [
        '--import',
        'tsx',
        CLI,
        'api',
        'diff',
        old.dir,
        next.dir,
        '--project',
        old.dir,
        '--json',
        '--fail-on-breaking',
      ]),
      (error: { code?: number; stdout?: string }) =>
        error.code === 1 &&
        (JSON.parse(error.stdout ?? '{}') as { breaking?: string[] }).breaking?.length === 5,
    );
  });
});
