import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { schemaIds, schemasDirectory } from '../../src/project/index.ts';

type Node = { [keyword: string]: unknown };

/** Visits every subschema that describes an object's properties. */
function* objectSchemas(node: unknown, path: string): Generator<[string, Node]> {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* objectSchemas(item, `${path}/${index}`);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Node;
  if (schema.properties !== undefined) yield [path, schema];
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'default' || key === 'const' || key === 'enum') continue;
    yield* objectSchemas(value, `${path}/${key}`);
  }
}

test('there is a schema per file kind, each with its $id', () => {
  const dir = schemasDirectory();
  assert.deepEqual(readdirSync(dir).sort(), [
    'api.schema.json',
    'conflux.schema.json',
    'flow.schema.json',
    'system.schema.json',
  ]);
  for (const [kind, id] of Object.entries(schemaIds)) {
    const schema = JSON.parse(readFileSync(join(dir, `${kind}.schema.json`), 'utf8'));
    assert.equal(schema.$id, id);
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  }
});

test('every property has a description and every object refuses unknown properties', () => {
  const dir = schemasDirectory();
  for (const file of readdirSync(dir)) {
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const defs = (schema.$defs ?? {}) as Record<string, Node>;
    for (const [path, node] of objectSchemas(schema, file)) {
      assert.equal(node.additionalProperties, false, `${path} must set additionalProperties: false`);
      for (const [name, property] of Object.entries(node.properties as Record<string, Node>)) {
        const target =
          typeof property.$ref === 'string' ? defs[property.$ref.replace('#/$defs/', '')] : undefined;
        const described = typeof property.description === 'string' || typeof target?.description === 'string';
        assert.ok(described, `${path}/properties/${name} has no description`);
      }
    }
  }
});

test('docs/project-files.md documents every property of every schema', () => {
  const doc = readFileSync(new URL('../../docs/project-files.md', import.meta.url), 'utf8');
  const dir = schemasDirectory();
  for (const file of readdirSync(dir)) {
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const [path, node] of objectSchemas(schema, file)) {
      for (const name of Object.keys(node.properties as object)) {
        if (name === '$schema') continue;
        const inCode = new RegExp(`\`[^\`\\n]*\\b${name.replace('$', '\\$')}\\b[^\`\\n]*\``);
        assert.match(doc, inCode, `${path}/properties/${name} is not in docs/project-files.md`);
      }
    }
  }
});
