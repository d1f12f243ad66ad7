import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';
import { loadSystemDescription } from '../../src/systems/index.ts';

const corpus = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function files(dir: string, pattern: RegExp, depth = 0): string[] {
  if (depth > 10) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory()
        ? files(path, pattern, depth + 1)
        : pattern.test(entry)
          ? [path]
          : [];
    });
}

function readStructured(path: string): Record<string, unknown> {
  const text = readFileSync(path, 'utf8');
  return (
    path.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { uniqueKeys: false, maxAliasCount: -1 })
  ) as Record<string, unknown>;
}

/** Operations the document itself declares, counted from its raw text, independently of the importer. */
function declaredCount(path: string): number {
  if (path.endsWith('.wsdl')) {
    const parsed = new XMLParser({
      ignoreAttributes: false,
      removeNSPrefix: true,
      processEntities: false,
      isArray: (_n, _p, _l, attribute) => !attribute,
    }).parse(readFileSync(path, 'utf8'));
    const portTypes = (parsed.definitions?.[0]?.portType ?? []) as { operation?: { '@_name': string }[] }[];
    return new Set(
      portTypes.flatMap((portType) => (portType.operation ?? []).map((operation) => operation['@_name'])),
    ).size;
  }
  const document = readStructured(path);
  if (document.asyncapi !== undefined) {
    if (String(document.asyncapi).startsWith('2')) {
      const channels = Object.values((document.channels ?? {}) as Record<string, Record<string, unknown>>);
      return channels.reduce(
        (sum, channel) => sum + (channel.publish ? 1 : 0) + (channel.subscribe ? 1 : 0),
        0,
      );
    }
    return Object.keys(document.operations ?? {}).length;
  }
  let count = 0;
  for (const [key, item] of Object.entries(
    (document.paths ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    if (key.startsWith('x-')) continue;
    count += Object.keys(item).filter((name) => METHODS.includes(name)).length;
  }
  return count;
}

const documents = [
  ...files(join(corpus, 'openapi'), /\.(json|ya?ml)$/i).filter((path) =>
    /^\s*["']?(openapi|swagger)["']?\s*:/m.test(readFileSync(path, 'utf8')),
  ),
  ...files(join(corpus, 'asyncapi'), /\.(json|ya?ml)$/i),
  ...files(join(corpus, 'wsdl'), /\.wsdl$/i),
];

describe('every corpus document imports with all its declared operations', () => {
  const recorded: string[] = [];
  test('the corpus has OpenAPI, AsyncAPI and WSDL documents', () => {
    assert.ok(documents.some((path) => path.endsWith('.wsdl')));
    assert.ok(documents.some((path) => path.includes('/asyncapi/')));
    assert.ok(documents.length >= 25, `found ${documents.length}`);
  });
  for (const path of documents) {
    const name = relative(corpus, path);
    test(name, async () => {
      const description = await loadSystemDescription(path);
      const declared = declaredCount(path);
      recorded.push(
        `${name}\t${description.kind} ${description.specVersion}\t${description.operations.size}/${declared}\t${description.warnings.length} warnings`,
      );
      assert.equal(
        description.operations.size,
        declared,
        `${name}: imported ${description.operations.size}, declared ${declared}`,
      );
      for (const warning of description.warnings) {
        assert.equal(typeof warning.pointer, 'string');
        assert.ok(warning.message.length > 0);
      }
      for (const operation of description.operations.values()) {
        assert.match(operation.id, /\S/);
        assert.equal(typeof operation.inputSchema, 'object');
      }
    });
  }
  test('report', () => {
    process.stdout.write(
      `# document\tkind\timported/declared\twarnings\n${recorded.map((line) => `# ${line}`).join('\n')}\n`,
    );
    assert.equal(recorded.length, documents.length);
  });
});
