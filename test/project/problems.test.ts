import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadProject, type ProjectProblem } from '../../src/project/index.ts';
import { projectWith, removeTempDirs, where } from './helpers.ts';

after(removeTempDirs);

async function problemsOf(files: Record<string, string | null>): Promise<readonly ProjectProblem[]> {
  const { project, problems } = await loadProject(projectWith(files));
  assert.equal(project, undefined, 'a project with problems must not load');
  return problems;
}

describe('schema problems point at the YAML node', () => {
  test('an unknown property points at its key and suggests the nearest known name', async () => {
    const problems = await problemsOf({
      'flows/place-order.yaml': [
        'name: place-order',
        'steps:',
        '  - id: stock',
        '    type: call',
        '    sytem: inventory',
        '    operation: getStock',
      ].join('\n'),
    });
    // Only one problem: the missing `system` is the same mistake as the unknown `sytem`.
    assert.deepEqual(where(problems), ['flows/place-order.yaml:5:5 schema']);
    assert.equal(problems[0]?.message, 'steps[0]: unknown property "sytem"; did you mean "system"?');
    assert.equal(problems[0]?.found, '"sytem"');
    assert.equal(
      problems[0]?.expected,
      'one of id, type, description, system, operation, input, retry, compensate',
    );
  });

  test('a wrong step type points at the value and lists the allowed ones', async () => {
    const problems = await problemsOf({
      'flows/place-order.yaml': [
        'name: place-order',
        'steps:',
        '  - { id: order, type: map, mapping: normalize-order }',
        '  - { id: stock, type: cal, system: inventory, operation: getStock }',
      ].join('\n'),
    });
    assert.deepEqual(where(problems), ['flows/place-order.yaml:4:24 schema']);
    assert.equal(problems[0]?.message, 'steps[1].type: unknown type; did you mean "call"?');
    assert.equal(problems[0]?.found, '"cal"');
    assert.equal(
      problems[0]?.expected,
      'one of map, call, http, branch, switch, foreach, parallel, delay, wait, emit, respond, subflow, fail',
    );
  });

  test('a wrong enum value suggests the nearest allowed one', async () => {
    const problems = await problemsOf({
      'apis/orders.yaml':
        'name: orders\nvisibility: publik\nroutes:\n  - { method: GET, path: /x, flow: place-order }\n',
    });
    assert.deepEqual(where(problems), ['apis/orders.yaml:2:13 schema']);
    assert.equal(problems[0]?.message, 'visibility: unknown value; did you mean "public"?');
    assert.equal(problems[0]?.expected, 'one of private, partner, public');
  });

  test('a wrong type says what was found and what was expected', async () => {
    const problems = await problemsOf({ 'conflux.yaml': 'name: retail\ngateway:\n  port: "8080"\n' });
    assert.deepEqual(where(problems), ['conflux.yaml:3:9 schema']);
    assert.equal(problems[0]?.message, 'gateway.port: wrong type');
    assert.equal(problems[0]?.found, '"8080" (a string)');
    assert.equal(problems[0]?.expected, 'an integer');
  });

  test('a missing required property points at the parent map', async () => {
    const problems = await problemsOf({
      'systems/shop.yaml': 'name: shop\nbaseUrl: http://127.0.0.1:9999/shop\nauth: { type: bearer }\n',
    });
    // The missing description is reported twice at the map: once as missing `openapi`, once as
    // missing one of openapi/asyncapi/wsdl/fhir.
    assert.deepEqual(where(problems), [
      'systems/shop.yaml:1:1 schema',
      'systems/shop.yaml:1:1 schema',
      'systems/shop.yaml:3:7 schema',
    ]);
    assert.equal(problems[0]?.message, 'missing required properties "openapi", "asyncapi", "wsdl", "fhir"');
    assert.equal(problems[0]?.found, 'a map with name, baseUrl, auth');
    // Since bearer auth gained a token-exchange alternative, ajv reports the anyOf as a whole;
    // the location is still exact. (Naming the missing `secret` again is an open item.)
    assert.match(String(problems[1]?.message), /anyOf|secret/);
  });

  test('several missing properties of one map make one problem', async () => {
    const problems = await problemsOf({
      'flows/place-order.yaml': 'name: place-order\nsteps:\n  - { type: call }\n',
    });
    assert.deepEqual(where(problems), ['flows/place-order.yaml:3:5 schema']);
    assert.equal(problems[0]?.message, 'steps[0]: missing required properties "id", "system", "operation"');
  });

  test('a route needs exactly one target', async () => {
    const problems = await problemsOf({
      'apis/orders.yaml': [
        'name: orders',
        'routes:',
        "  - { method: GET, path: /y, flow: place-order, url: 'http://127.0.0.1:1/y' }",
        '  - { method: GET, path: /z }',
        '  - { method: GET, path: /w, system: shop }',
      ].join('\n'),
    });
    assert.deepEqual(where(problems), [
      'apis/orders.yaml:3:5 schema',
      'apis/orders.yaml:4:5 schema',
      'apis/orders.yaml:5:5 schema',
    ]);
    assert.equal(problems[0]?.message, 'routes[0]: has more than one of flow, system, url, composite, mock');
    assert.equal(problems[0]?.found, 'flow, url');
    assert.equal(problems[1]?.message, 'routes[1]: needs one of flow, system, url, composite, mock');
    assert.equal(problems[2]?.message, 'routes[2]: "system" needs "operation" beside it');
  });

  test('a name pattern and a base URL explain the expected form in words', async () => {
    const problems = await problemsOf({
      'systems/shop.yaml': 'name: Shop\nopenapi: ../specs/shop.openapi.yaml\nbaseUrl: htp://x\n',
    });
    assert.deepEqual(where(problems), ['systems/shop.yaml:1:7 schema', 'systems/shop.yaml:3:10 schema']);
    assert.match(problems[0]?.expected ?? '', /lowercase letters, digits and dashes/);
    assert.equal(
      problems[1]?.expected,
      '`mock`, an http(s) URL, or a broker URL (mqtt://, amqp://, nats://) for AsyncAPI systems',
    );
  });

  test('a YAML syntax error is located and stops only that file', async () => {
    const problems = await problemsOf({
      'systems/shop.yaml': 'name: shop\nname: shop\nopenapi: ../specs/shop.openapi.yaml\n',
      'flows/place-order.yaml': 'name: place-order\nsteps:\n  - id: a\n   type: map\n',
    });
    assert.deepEqual(where(problems), ['flows/place-order.yaml:4:1 yaml', 'systems/shop.yaml:2:1 yaml']);
    assert.match(problems[0]?.message ?? '', /Sequence item without - indicator/);
    assert.match(problems[1]?.message ?? '', /Map keys must be unique/);
  });

  test('an empty file is a problem, not a crash', async () => {
    const problems = await problemsOf({ 'flows/place-order.yaml': '' });
    assert.deepEqual(where(problems), ['flows/place-order.yaml:1:1 schema']);
    assert.equal(problems[0]?.expected, 'a map');
  });
});

describe('reference problems', () => {
  test('an unknown system or flow in a route, with a suggestion', async () => {
    const problems = await problemsOf({
      'apis/orders.yaml': [
        'name: orders',
        'routes:',
        '  - { method: POST, path: /orders, flow: place-ordr }',
        "  - { method: GET, path: '/products/{id}', system: shopp, operation: getProduct }",
      ].join('\n'),
    });
    assert.deepEqual(where(problems), ['apis/orders.yaml:3:42 reference', 'apis/orders.yaml:4:52 reference']);
    assert.equal(
      problems[0]?.message,
      'routes[0].flow: no flow named "place-ordr"; did you mean "place-order"?',
    );
    assert.equal(problems[1]?.message, 'routes[1].system: no system named "shopp"; did you mean "shop"?');
    assert.equal(problems[1]?.expected, 'one of inventory, shop');
  });

  test('an unknown mapping and an unknown system in steps', async () => {
    const problems = await problemsOf({
      'flows/place-order.yaml': [
        'name: place-order',
        'steps:',
        '  - { id: order, type: map, mapping: normalise-order }',
        '  - { id: stock, type: call, system: inventori, operation: getStock }',
      ].join('\n'),
    });
    assert.deepEqual(where(problems), [
      'flows/place-order.yaml:3:38 reference',
      'flows/place-order.yaml:4:38 reference',
    ]);
    assert.match(
      problems[0]?.message ?? '',
      /no mapping named "normalise-order"; did you mean "normalize-order"\?/,
    );
    assert.match(problems[0]?.expected ?? '', /mappings\/normalise-order\.jsonata/);
  });

  test('a reference to a file that failed to load is not reported twice', async () => {
    const problems = await problemsOf({ 'flows/place-order.yaml': 'name: place-order\nsteps: [\n' });
    assert.deepEqual(
      problems.map((problem) => problem.rule),
      ['yaml'],
      'the route to place-order must not add a reference problem',
    );
  });

  test('the openapi file must exist, and baseUrls must cover the environment', async () => {
    const problems = await problemsOf({
      'systems/inventory.yaml': 'name: inventory\nopenapi: ../specs/nope.yaml\nbaseUrls: { staging: mock }\n',
    });
    assert.deepEqual(where(problems), [
      'systems/inventory.yaml:2:10 file',
      'systems/inventory.yaml:3:11 environment',
    ]);
    assert.equal(problems[1]?.message, 'baseUrls: no entry for environment "dev"');
  });

  test('schedules with a bad cron or time zone', async () => {
    const problems = await problemsOf({
      'flows/place-order.yaml': [
        'name: place-order',
        'steps: [{ id: a, type: map, expression: "1" }]',
        'triggers:',
        "  - { type: schedule, cron: '61 * * * *', timezone: Mars/Base }",
      ].join('\n'),
    });
    assert.deepEqual(where(problems), [
      'flows/place-order.yaml:4:29 schedule',
      'flows/place-order.yaml:4:53 schedule',
    ]);
    assert.match(problems[0]?.message ?? '', /minute/);
  });
});

describe('duplicates and names', () => {
  test('a flow defined in two files', async () => {
    const problems = await problemsOf({
      'flows/place-order.yml': "name: place-order\nsteps: [{ id: a, type: map, expression: '1' }]\n",
    });
    assert.deepEqual(where(problems), ['flows/place-order.yml:1:7 duplicate']);
    assert.equal(
      problems[0]?.message,
      'name: flow "place-order" is already defined at flows/place-order.yaml:1:7',
    );
  });

  test('a name that does not match its file', async () => {
    const problems = await problemsOf({
      'flows/other.yaml': "name: ather\nsteps: [{ id: a, type: map, expression: '1' }]\n",
    });
    assert.deepEqual(where(problems), ['flows/other.yaml:1:7 name-mismatch']);
    assert.equal(problems[0]?.expected, '"other"');
  });

  test('step ids, webhook paths and routes must be unique', async () => {
    const problems = await problemsOf({
      'flows/other.yaml': [
        'name: other',
        'triggers: [{ type: webhook, path: place-order }]',
        'steps:',
        "  - { id: a, type: map, expression: '1' }",
        "  - { id: a, type: map, expression: '2' }",
      ].join('\n'),
      'apis/more.yaml':
        'name: more\nbasePath: /v1\nroutes:\n  - { method: POST, path: /orders/, flow: other }\n',
    });
    assert.deepEqual(where(problems), [
      'apis/orders.yaml:5:5 duplicate',
      'flows/other.yaml:5:11 duplicate',
      'flows/place-order.yaml:4:5 duplicate',
    ]);
    assert.match(problems[0]?.message ?? '', /POST \/v1\/orders is already routed at apis\/more\.yaml:4:5/);
    assert.match(problems[1]?.message ?? '', /"a" is already the id of steps\[0\]/);
    assert.match(
      problems[2]?.message ?? '',
      /\/hooks\/place-order is already taken at flows\/other\.yaml:2:12/,
    );
  });

  test('a mapping file name that no step could reference', async () => {
    const problems = await problemsOf({ 'mappings/Bad_Name.jsonata': '1' });
    assert.deepEqual(where(problems), ['mappings/Bad_Name.jsonata:1:1 name']);
  });
});

test('every problem of every file is collected, sorted by file and position', async () => {
  const problems = await problemsOf({
    'conflux.yaml': 'name: retail\nadmin: 8081\n',
    'systems/shop.yaml': 'name: shop\nopenapi: ../specs/shop.openapi.yaml\nbaseUrl: mock\ntimeout: 1\n',
    'flows/place-order.yaml': 'name: place-order\nsteps:\n  - { id: a, type: cal }\n',
  });
  assert.deepEqual(where(problems), [
    'conflux.yaml:2:8 schema',
    'flows/place-order.yaml:3:20 schema',
    'systems/shop.yaml:4:1 schema',
  ]);
});
