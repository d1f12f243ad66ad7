import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { describe, test } from 'node:test';
import { request } from 'undici';
import { loadSystemDescription, startMockServer } from '../../src/systems/index.ts';
import { corpusDocuments, corpusRoot, pickOperation, requestFor } from './corpus-helpers.ts';

const documents = corpusDocuments();

describe('every OpenAPI document of the corpus loads and mocks', () => {
  test('the corpus is there', () => {
    assert.ok(
      documents.length >= 15,
      `expected the corpus at ${corpusRoot}, found ${documents.length} documents`,
    );
  });

  for (const file of documents) {
    const name = relative(corpusRoot, file);
    test(name, async (t) => {
      const description = await loadSystemDescription(file);
      t.diagnostic(
        `${name}: ${description.operations.size} operations, ${description.warnings.length} warnings, OpenAPI ${description.specVersion}`,
      );
      const mock = await startMockServer(description, { port: 0 });
      try {
        const operation = pickOperation(description.operations.values());
        if (operation === undefined) {
          // Webhook-only documents describe no operations; the mock still answers.
          const answer = await request(`${mock.url}/__mock/calls`);
          assert.equal(answer.statusCode, 200);
          await answer.body.dump();
          return;
        }
        const built = requestFor(operation);
        const answer = await request(mock.url + built.path, {
          method: operation.method as 'GET',
          headers: built.headers,
          ...(built.body === undefined ? {} : { body: built.body }),
        });
        const text = await answer.body.text();
        t.diagnostic(
          `${name}: ${operation.method} ${operation.path} (${operation.id}) → ${answer.statusCode}`,
        );
        assert.ok(
          answer.statusCode < 500,
          `${operation.id} answered ${answer.statusCode}: ${text.slice(0, 300)}`,
        );
        assert.equal(answer.headers['x-mock'], 'conflux');
      } finally {
        await mock.close();
      }
    });
  }
});
