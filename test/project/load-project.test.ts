import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfluxError } from '../../src/errors/index.ts';
import { loadProject } from '../../src/project/index.ts';
import { emptyDir, projectWith, removeTempDirs, retailFixture } from './helpers.ts';

after(removeTempDirs);

describe('loadProject on a valid project', () => {
  test('resolves settings with their defaults', async () => {
    const { project, problems } = await loadProject(retailFixture);
    assert.deepEqual(problems, []);
    assert.ok(project);
    assert.equal(project.root, retailFixture);
    assert.deepEqual(project.settings, {
      name: 'retail',
      environment: 'dev',
      gateway: { host: '0.0.0.0', port: 9080 },
      admin: { host: '127.0.0.1', port: 8081 },
      shutdownTimeoutMs: 2000,
      retention: { succeeded: 7 * 86_400_000, failed: 30 * 86_400_000, dead: 30 * 86_400_000 },
      reload: { conformance: true },
    });
  });

  test('resolves systems: absolute description path, base URL for the environment, auth, defaults', async () => {
    const { project } = await loadProject(retailFixture);
    const inventory = project?.systems.get('inventory');
    assert.ok(inventory);
    assert.equal(inventory.descriptionFile, join(retailFixture, 'specs/inventory.openapi.yaml'));
    assert.ok(existsSync(inventory.descriptionFile));
    assert.equal(inventory.baseUrl, 'mock');
    assert.deepEqual(inventory.auth, {
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
      secret: 'inventory-key',
    });
    assert.deepEqual(inventory.retry, { attempts: 3, backoffMs: 200 });
    assert.equal(inventory.timeoutMs, 5000);
    assert.deepEqual(inventory.source, { file: 'systems/inventory.yaml', line: 1, column: 1 });
    const shop = project?.systems.get('shop');
    assert.equal(shop?.baseUrl, 'http://127.0.0.1:9999/shop');
    assert.deepEqual(shop?.auth, { type: 'basic', username: 'conflux', secret: 'shop-password' });
    assert.equal(shop?.timeoutMs, 10000);
    assert.deepEqual(shop?.retry, { attempts: 1, backoffMs: 200 });
  });

  test('the environment option picks the baseUrls entry', async () => {
    const { project } = await loadProject(retailFixture, { environment: 'prod' });
    assert.equal(project?.settings.environment, 'prod');
    assert.equal(project?.systems.get('inventory')?.baseUrl, 'https://erp.example.com/api');
  });

  test('resolves APIs: route targets, base path, secure default auth, route sources', async () => {
    const { project } = await loadProject(retailFixture);
    const orders = project?.apis.get('orders');
    assert.ok(orders);
    assert.equal(orders.basePath, '/v1');
    assert.equal(orders.visibility, 'public');
    assert.deepEqual(orders.auth, { type: 'apiKey', header: 'x-api-key' });
    assert.deepEqual(
      orders.routes.map((route) => [route.method, route.path, route.target]),
      [
        ['POST', '/orders', { kind: 'flow', flow: 'place-order' }],
        ['GET', '/products/{id}', { kind: 'operation', system: 'shop', operation: 'getProduct' }],
        ['GET', '/status', { kind: 'url', url: 'http://127.0.0.1:9999/status' }],
      ],
    );
    assert.deepEqual(orders.routes[1]?.source, { file: 'apis/orders.yaml', line: 6, column: 5 });
  });

  test('resolves flows: triggers with defaults, mapping text as expression, version, sources', async () => {
    const { project } = await loadProject(retailFixture);
    const flow = project?.flows.get('place-order');
    assert.ok(flow);
    assert.deepEqual(
      flow.triggers.map(({ source: _source, ...trigger }) => trigger),
      [
        { type: 'webhook', path: 'place-order', mode: 'sync' },
        { type: 'schedule', cron: '*/5 * * * * *', timezone: 'UTC', input: '{"sku": "A-1", "quantity": 1}' },
      ],
    );
    assert.deepEqual(flow.retry, { attempts: 5, backoffMs: 1000 });
    const [order, stock, calc] = flow.steps;
    assert.equal(order?.type, 'map');
    assert.equal(order?.type === 'map' ? order.mapping : '', 'normalize-order');
    assert.match(order?.type === 'map' ? order.expression : '', /\$uppercase\(trigger\.body\.sku\)/);
    assert.deepEqual(stock?.source, { file: 'flows/place-order.yaml', line: 9, column: 5 });
    assert.equal(
      calc?.type === 'map' ? calc.expression : '',
      'steps.stock.body.available >= steps.order.quantity',
    );
    assert.equal(flow.output, '{ "orderId": steps.order.id, "inStock": steps.calc }');
    assert.match(flow.version, /^[0-9a-f]{12}$/);
    assert.deepEqual(project?.mappings.get('normalize-order')?.source, {
      file: 'mappings/normalize-order.jsonata',
      line: 1,
      column: 1,
    });
  });

  test('the project is frozen', async () => {
    const { project } = await loadProject(retailFixture);
    const flow = project?.flows.get('place-order');
    assert.ok(
      flow && Object.isFrozen(flow) && Object.isFrozen(flow.steps[0]) && Object.isFrozen(project?.settings),
    );
  });
});

describe('flow version', () => {
  const versionOf = async (root: string) =>
    (await loadProject(root)).project?.flows.get('place-order')?.version;

  test('stays the same when only layout and comments change', async () => {
    const moved = projectWith({
      'flows/place-order.yaml': `# a comment that moves every line down\n\n${readFileSync(join(retailFixture, 'flows/place-order.yaml'), 'utf8')}`,
    });
    assert.equal(await versionOf(moved), await versionOf(retailFixture));
  });

  test('changes when a mapping the flow uses changes', async () => {
    const edited = projectWith({ 'mappings/normalize-order.jsonata': '{ "id": trigger.body.orderId }\n' });
    const before = await versionOf(retailFixture);
    const changed = await versionOf(edited);
    assert.ok(before !== undefined && changed !== undefined);
    assert.notEqual(changed, before);
  });
});

describe('extra checks and missing projects', () => {
  test('problems from extraChecks are merged and drop the project', async () => {
    let seen: string[] = [];
    const result = await loadProject(retailFixture, {
      extraChecks: (project) => {
        seen = [...project.systems.keys()];
        const problem = {
          file: 'apis/orders.yaml',
          line: 6,
          column: 5,
          rule: 'operation',
          message: 'no operation',
        };
        return Promise.resolve([problem]);
      },
    });
    assert.deepEqual(seen, ['inventory', 'shop']);
    assert.equal(result.project, undefined);
    assert.deepEqual(
      result.problems.map((problem) => problem.rule),
      ['operation'],
    );
  });

  test('extraChecks are not run on a project that already has problems', async () => {
    let called = false;
    const root = projectWith({ 'flows/place-order.yaml': 'name: place-order\nsteps: []\n' });
    const result = await loadProject(root, {
      extraChecks: () => {
        called = true;
        return Promise.resolve([]);
      },
    });
    assert.equal(called, false);
    assert.ok(result.problems.length > 0);
  });

  test('a folder without conflux.yaml is PROJECT_NOT_FOUND', async () => {
    await assert.rejects(loadProject(emptyDir()), (error: unknown) => {
      assert.ok(error instanceof ConfluxError);
      assert.equal(error.code, 'PROJECT_NOT_FOUND');
      assert.match(error.message, /conflux init/);
      return true;
    });
  });
});
