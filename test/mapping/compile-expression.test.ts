import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ConfluxError } from '../../src/errors/index.ts';
import { compileExpression } from '../../src/mapping/index.ts';

const vectors = JSON.parse(
  readFileSync(new URL('../../../shared/vectors/jose-oauth-vectors.json', import.meta.url), 'utf8'),
) as { jsonata_test_suite_runaway_recursion: { expr: string; timelimit_ms: number; depth: number } };

function rejectsWith(code: string, check?: (error: ConfluxError) => void) {
  return (error: unknown) => {
    assert.ok(error instanceof ConfluxError, `expected a ConfluxError, got ${String(error)}`);
    assert.equal(error.code, code);
    check?.(error);
    return true;
  };
}

describe('compileExpression', () => {
  test('evaluates against the input and bindings, answering plain JSON', async () => {
    const expression = compileExpression(
      '{"skus": items.sku, "total": $sum(items.(qty * price)), "who": $who}',
      'test',
    );
    const result = await expression.evaluate(
      {
        items: [
          { sku: 'A1', qty: 2, price: 3.5 },
          { sku: 'B2', qty: 1, price: 10 },
        ],
      },
      { who: 'ops' },
    );
    assert.deepEqual(result, { skus: ['A1', 'B2'], total: 17, who: 'ops' });
    assert.equal(JSON.stringify(result), '{"skus":["A1","B2"],"total":17,"who":"ops"}');
  });

  test('a missing path answers undefined, not an error', async () => {
    assert.equal(await compileExpression('order.customer.email', 'test').evaluate({ order: {} }), undefined);
  });

  test('a syntax error names where, the position and the spot', () => {
    assert.throws(
      () => compileExpression('{"total": $sum(items.price}', 'flows/x.yaml step "order"'),
      rejectsWith('MAPPING_COMPILE_FAILED', (error) => {
        assert.match(error.message, /^flows\/x\.yaml step "order": .*position 27/);
        assert.equal(error.details.where, 'flows/x.yaml step "order"');
        assert.equal(error.details.position, 27);
        assert.match(String(error.details.near), /⟨here⟩/);
        assert.equal(error.status, 422);
      }),
    );
  });

  test('an evaluation error names where and the position', async () => {
    await assert.rejects(
      compileExpression('$number(order.id) + 1', 'mappings/order.jsonata').evaluate({ order: { id: 'abc' } }),
      rejectsWith('MAPPING_EVALUATE_FAILED', (error) => {
        assert.match(error.message, /^mappings\/order\.jsonata: the expression failed at position \d+/);
        assert.equal(error.details.where, 'mappings/order.jsonata');
      }),
    );
  });

  test('a helper error becomes MAPPING_EVALUATE_FAILED with the helper named', async () => {
    await assert.rejects(
      compileExpression('$convertUnit(weight, "kg", "m")', 'test').evaluate({ weight: 3 }),
      rejectsWith('MAPPING_EVALUATE_FAILED', (error) =>
        assert.match(error.message, /\$convertUnit: cannot convert mass/),
      ),
    );
  });

  test('the jsonata suite runaway recursion (tail-recursion case006) is stopped by the time budget', async () => {
    const vector = vectors.jsonata_test_suite_runaway_recursion;
    const expression = compileExpression(vector.expr, 'vector', {
      timeoutMs: vector.timelimit_ms,
      maxDepth: vector.depth,
    });
    await assert.rejects(
      expression.evaluate({}),
      rejectsWith('MAPPING_EVALUATE_FAILED', (error) => {
        assert.equal(error.details.limit, 'timeoutMs');
        assert.equal(error.status, 422);
      }),
    );
  });

  test('a non-tail recursion is stopped by the depth budget', async () => {
    const expression = compileExpression('($f := function($n){ 1 + $f($n + 1) }; $f(0))', 'test', {
      timeoutMs: 5000,
      maxDepth: 200,
    });
    await assert.rejects(
      expression.evaluate({}),
      rejectsWith('MAPPING_EVALUATE_FAILED', (error) => assert.equal(error.details.limit, 'maxDepth')),
    );
  });

  test('a bounded recursion within the budgets still works', async () => {
    const expression = compileExpression(
      '($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(10))',
      'test',
    );
    assert.equal(await expression.evaluate({}), 3628800);
  });

  test('the same text compiles once and evaluates concurrently with separate inputs', async () => {
    const results = await Promise.all(
      [1, 2, 3].map((n) => compileExpression('value * 2', `step ${n}`).evaluate({ value: n })),
    );
    assert.deepEqual(results, [2, 4, 6]);
  });

  test('helpers are available in every expression', async () => {
    const expression = compileExpression(
      '{"when": $formatDate(at, "yyyy-MM-dd"), "qty": $toNumber(qty), "name": $clean(name), "tier": $default(tier, "basic")}',
      'test',
    );
    assert.deepEqual(
      await expression.evaluate({ at: 1709645400000, qty: '1.234,5', name: '  Ada \n Lovelace ' }),
      {
        when: '2024-03-05',
        qty: 1234.5,
        name: 'Ada Lovelace',
        tier: 'basic',
      },
    );
  });
});
