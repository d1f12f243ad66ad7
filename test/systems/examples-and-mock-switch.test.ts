import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLogger, createMetrics } from '../../src/observability/index.ts';
import { createSystemsRuntimeManager, validateProject } from '../../src/platform/index.ts';
import { loadProject } from '../../src/project/index.ts';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const runtimeManager = () =>
  createSystemsRuntimeManager({
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics(),
    resolveSecret: () => Promise.reject(new Error('no secrets here')),
  });

describe('every examples/* project validates', () => {
  for (const name of readdirSync(examples).filter((entry) =>
    existsSync(join(examples, entry, 'conflux.yaml')),
  )) {
    test(name, async () => {
      const systems = runtimeManager();
      try {
        const { problems } = await validateProject(join(examples, name), (project) =>
          systems.checkOperations(project),
        );
        assert.deepEqual(problems, []);
      } finally {
        await systems.close();
      }
    });
  }
});

describe('a system switched to its mock per environment', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'conflux-envmock-'));
    mkdirSync(join(dir, 'systems'));
    mkdirSync(join(dir, 'specs'));
    writeFileSync(
      join(dir, 'specs', 'stock.yaml'),
      `openapi: 3.0.3
info: { title: Stock, version: '1' }
paths:
  /stock/{sku}:
    get:
      operationId: getStock
      parameters: [{ name: sku, in: path, required: true, schema: { type: string } }]
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { type: object, required: [sku, onHand], properties: { sku: { type: string }, onHand: { type: integer, example: 12 } } } } }
`,
    );
    writeFileSync(
      join(dir, 'systems', 'stock.yaml'),
      'name: stock\nopenapi: ../specs/stock.yaml\nbaseUrls:\n  dev: mock\n  prod: https://erp.example.com/api\nauth: { type: apiKey, in: header, name: x-api-key, secret: erp-key }\n',
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // The vault here has no secrets at all: the mock is called without the real system's credentials.
  test('dev serves the mock; prod points at the real system', async () => {
    writeFileSync(join(dir, 'conflux.yaml'), 'name: envmock\nenvironment: dev\n');
    const dev = await loadProject(dir);
    assert.deepEqual(dev.problems, []);
    const systems = runtimeManager();
    try {
      const runtime = await systems.build(dev.project as NonNullable<typeof dev.project>);
      const url = runtime.baseUrls.get('stock') ?? '';
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const answer = await runtime.caller.call('stock', 'getStock', { sku: 'A1' }, { correlationId: 'env' });
      assert.equal(answer.status, 200);
      assert.equal(typeof (answer.body as { sku: unknown }).sku, 'string');
      assert.equal(Number.isInteger((answer.body as { onHand: unknown }).onHand), true);
      assert.equal(answer.headers['x-mock'], 'conflux');
    } finally {
      await systems.close();
    }
    writeFileSync(join(dir, 'conflux.yaml'), 'name: envmock\nenvironment: prod\n');
    const prod = await loadProject(dir);
    const prodSystems = runtimeManager();
    try {
      const runtime = await prodSystems.build(prod.project as NonNullable<typeof prod.project>);
      assert.equal(runtime.baseUrls.get('stock'), 'https://erp.example.com/api');
    } finally {
      await prodSystems.close();
    }
  });
});
