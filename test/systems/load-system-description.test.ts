import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfluxError } from '../../src/errors/index.ts';
import { loadSystemDescription, type Operation } from '../../src/systems/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Reads a nested value of plain JSON: `dig(schema, 'properties', 'id', 'type')`. */
function dig(value: unknown, ...keys: string[]): unknown {
  let node = value;
  for (const key of keys)
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

function operation(map: ReadonlyMap<string, Operation>, id: string): Operation {
  const found = map.get(id);
  assert.ok(found, `operation ${id} among ${[...map.keys()].join(', ')}`);
  return found;
}

describe('loadSystemDescription', () => {
  test('reads an OpenAPI 3.0 document: ids, merged parameters, body, responses, servers', async () => {
    const description = await loadSystemDescription(fixture('customers.openapi.yaml'));
    assert.equal(description.title, 'Customers');
    assert.equal(description.specVersion, '3.0.3');
    assert.deepEqual(description.servers, ['https://crm.example.com/v1']);
    const get = operation(description.operations, 'getCustomer');
    assert.equal(get.method, 'GET');
    assert.equal(get.path, '/customers/{id}');
    assert.deepEqual(
      get.parameters.map((p) => [p.in, p.name, p.required]),
      [['path', 'id', true]],
      'the path-level parameter is merged in',
    );
    assert.equal(get.responses[0]?.status, '200');
    const create = operation(description.operations, 'createCustomer');
    assert.equal(create.requestBody?.contentType, 'application/json');
    assert.equal(create.requestBody?.required, true);
  });

  test('derives stable unique ids from method and path when operationId is missing', async () => {
    const description = await loadSystemDescription(fixture('customers.openapi.yaml'));
    assert.ok(description.operations.has('get_categories'));
    assert.ok(description.operations.has('get_stock_by_sku'));
  });

  test('builds inputSchema from parameters and body', async () => {
    const description = await loadSystemDescription(fixture('customers.openapi.yaml'));
    const stock = operation(description.operations, 'get_stock_by_sku');
    const schema = stock.inputSchema as { properties: Record<string, unknown>; required: string[] };
    assert.deepEqual(Object.keys(schema.properties).sort(), ['X-Warehouse', 'sku']);
    assert.deepEqual(schema.required.sort(), ['X-Warehouse', 'sku']);
    const create = operation(description.operations, 'createCustomer').inputSchema as { required: string[] };
    assert.deepEqual(create.required, ['body']);
  });

  test('turns OpenAPI 3.0 nullable into JSON Schema and relaxes readOnly in requests', async () => {
    const description = await loadSystemDescription(fixture('customers.openapi.yaml'));
    const body = operation(description.operations, 'createCustomer').requestBody?.schema;
    assert.deepEqual(dig(body, 'properties', 'nickname', 'type'), ['string', 'null']);
    assert.deepEqual(dig(body, 'required'), ['email', 'name'], 'readOnly id is not required in a request');
    const response = operation(description.operations, 'getCustomer').responses[0]?.schema;
    assert.deepEqual(dig(response, 'required'), ['id', 'email', 'name']);
  });

  test('cuts circular references so the result is finite JSON', async () => {
    const description = await loadSystemDescription(fixture('customers.openapi.yaml'));
    const json = JSON.stringify([...description.operations.values()]);
    assert.ok(json.includes('x-conflux-circular'));
    assert.ok(
      description.warnings.some((w) => w.message.includes('circular') && w.pointer.startsWith('/paths/')),
    );
  });

  test('serves examples from `examples` and warns about callbacks by pointer', async () => {
    const description = await loadSystemDescription(fixture('customers.openapi.yaml'));
    assert.deepEqual(operation(description.operations, 'getCurrentCustomer').responses[0]?.example, {
      id: 'cus_me',
      email: 'me@example.com',
      name: 'Me',
    });
    assert.ok(description.warnings.some((w) => w.pointer === '/paths/~1payments/post/callbacks'));
  });

  test('maps Swagger 2.0: body and formData to requestBody, x-nullable, examples, basePath', async () => {
    const description = await loadSystemDescription(fixture('petstore-v2.json'));
    assert.equal(description.specVersion, '2.0');
    assert.deepEqual(description.servers, ['https://pets.example.com/v1']);
    const add = operation(description.operations, 'addPet');
    assert.equal(add.parameters.length, 0);
    assert.equal(add.requestBody?.contentType, 'application/json');
    assert.deepEqual(dig(add.requestBody?.schema, 'properties', 'tag', 'type'), ['string', 'null']);
    const upload = operation(description.operations, 'uploadPhoto');
    assert.equal(upload.requestBody?.contentType, 'application/x-www-form-urlencoded');
    assert.deepEqual(dig(upload.requestBody?.schema, 'required'), ['caption']);
    const list = operation(description.operations, 'get_pets');
    assert.deepEqual(list.responses[0]?.example, [{ id: 1, name: 'Rex', tag: null }]);
    const limit = list.parameters.find((p) => p.name === 'limit')?.schema as Record<string, unknown>;
    assert.equal(limit.exclusiveMaximum, 10, 'boolean exclusiveMaximum becomes numeric');
    assert.equal(limit.maximum, undefined);
  });

  test('resolves relative-file references and replaces remote ones with a warning', async () => {
    const description = await loadSystemDescription(fixture('split/api.yaml'));
    const get = operation(description.operations, 'getOrder');
    assert.deepEqual(get.parameters[0]?.schema, { type: 'integer' });
    const schema = get.responses[0]?.schema;
    assert.equal(dig(schema, 'properties', 'lines', 'items', 'properties', 'quantity', 'minimum'), 1);
    const remote = description.warnings.find((w) =>
      w.message.includes('https://schemas.example.com/error.json'),
    );
    assert.ok(remote);
    assert.equal(
      remote.pointer,
      '/paths/~1orders~1{id}/get/responses/default/content/application~1json/schema',
    );
  });

  test('rejects invalid YAML with SYSTEM_DESCRIPTION_INVALID naming the file and the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conflux-description-'));
    try {
      const file = join(dir, 'bad.yaml');
      writeFileSync(file, 'openapi: 3.0.0\ninfo: { title: Bad\n  version: [1\n');
      await assert.rejects(loadSystemDescription(file), (error: unknown) => {
        assert.ok(error instanceof ConfluxError);
        assert.equal(error.code, 'SYSTEM_DESCRIPTION_INVALID');
        assert.ok(error.message.includes(file), error.message);
        assert.match(error.message, /not valid YAML .*line \d+/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [name, problem] of [
    ['does-not-exist.yaml', /file not found/],
    ['not-openapi.json', /not an OpenAPI document/],
    ['broken-ref.yaml', /\$ref cannot be resolved/],
  ] as const) {
    test(`rejects ${name} with SYSTEM_DESCRIPTION_INVALID naming the file`, async () => {
      await assert.rejects(loadSystemDescription(fixture(name)), (error: unknown) => {
        assert.ok(error instanceof ConfluxError);
        assert.equal(error.code, 'SYSTEM_DESCRIPTION_INVALID');
        assert.ok(error.message.includes(name), error.message);
        assert.match(error.message, problem);
        return true;
      });
    });
  }
});
