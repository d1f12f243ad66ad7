import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import jsonata from 'jsonata';
import { ConfluxError } from '../../src/errors/index.ts';
import { compileDirect, INDIRECT } from '../../src/mapping/direct-evaluation.ts';
import { helpers } from '../../src/mapping/helpers/index.ts';
import { compileExpression } from '../../src/mapping/index.ts';
import { toPlain } from '../../src/mapping/to-plain.ts';

// The direct evaluator must answer exactly what JSONata answers, or step aside. Every case is
// checked against JSONata itself (with the same helpers registered), never against a hand-written
// expectation alone.

type Outcome = { value: unknown } | { error: string };

function reference(expression: string) {
  const compiled = jsonata(expression);
  for (const [name, implementation] of Object.entries(helpers)) {
    compiled.registerFunction(name, implementation as (...args: unknown[]) => unknown);
  }
  return async (input: unknown, bindings?: Record<string, unknown>): Promise<Outcome> => {
    try {
      return { value: toPlain(await compiled.evaluate(input, bindings)) };
    } catch (error) {
      const failure = error as { code?: string; message?: string };
      return { error: failure.code ?? failure.message ?? String(error) };
    }
  };
}

function direct(expression: string) {
  const evaluation = compileDirect(jsonata(expression).ast(), helpers);
  assert.ok(evaluation !== undefined, `${expression} should be in the direct subset`);
  return evaluation;
}

async function viaConflux(
  expression: string,
  input: unknown,
  bindings?: Record<string, unknown>,
): Promise<Outcome> {
  try {
    return { value: await compileExpression(expression, 'test').evaluate(input, bindings) };
  } catch (error) {
    assert.ok(error instanceof ConfluxError);
    const failure = error.cause as { code?: string; message?: string } | undefined;
    return { error: failure?.code ?? failure?.message ?? error.message };
  }
}

const order = {
  id: 'A-1',
  total: '1.234,50',
  orderedAt: '2026-03-29T01:30:00Z',
  customer: { first: '  Ada ', last: 'Lovelace', email: 'ADA@Example.COM', vip: true, tags: [] },
  lines: [{ sku: 'X', qty: 2 }],
  count: 3,
  ratio: 0.1,
  nothing: null,
  empty: '',
  nested: { deeper: { value: 42 } },
};

describe('direct evaluation of plain JSONata', () => {
  const agreeing: [string, unknown, Record<string, unknown>?][] = [
    ['id', order],
    ['customer.first', order],
    ['customer.missing.deeper', order],
    ['nested.deeper.value', order],
    ['id.length', order],
    ['lines', order],
    ['customer.tags', order],
    ['nothing', order],
    ['$', order],
    ['$.customer.last', order],
    ['$who', order, { who: 'me' }],
    ['$who.name', order, { who: { name: 'me' } }],
    ['"text"', order],
    ['-count', order],
    ['count * 2 + 1', order],
    ['count / 4', order],
    ['count % 2', order],
    ['count - missing', order],
    ['count > 2', order],
    ['id < "B"', order],
    ['missing < 3', order],
    ['count = 3 and customer.vip', order],
    ['empty or nothing', order],
    ['id = "A-1"', order],
    ['id != missing', order],
    ['nothing = null', order],
    ['count ? "some" : "none"', order],
    ['empty ? "some"', order],
    ['id & "/" & count & "/" & ratio & "/" & customer.vip & "/" & nothing & missing', order],
    ['(count; id)', order],
    ['$lowercase(customer.email)', order],
    ['$uppercase(missing)', order],
    ['$trim(customer.first)', order],
    ['$clean(customer.first & " " & customer.last)', order],
    ['$formatDate(orderedAt, "dd.MM.yyyy HH:mm", "Europe/Berlin")', order],
    ['$toNumber(total, "de-DE")', order],
    ['$default(missing, "fallback")', order],
    ['$default(lines, "fallback")', order],
    ['$string(count) & "/" & $string(ratio) & "/" & $string(nothing) & "/" & $string(customer.vip)', order],
    ['$string(missing)', order],
    ['$exists(id) and $exists(nothing) and $exists(missing) = false', order],
    ['{"l": $count(lines), "t": $count(customer.tags), "i": $count(id), "m": $count(missing)}', order],
    [
      '{"orderId": id, "name": $clean(customer.first & " " & customer.last), "email": $lowercase(customer.email), "none": missing, "n": {"deep": nested.deeper.value}}',
      order,
    ],
    ['{"2": 1, "b": 2, "1": 3}', order],
    ['{id: count}', order],
    ['{missing: count}', order],
    ['customer.first', 'a string input'],
    ['customer.first', null],
    ['customer.first', undefined],
  ];

  for (const [expression, input, bindings] of agreeing) {
    test(`${expression} answers as JSONata does, without JSONata`, async () => {
      const value = direct(expression)(input, bindings);
      assert.notEqual(value, INDIRECT, `${expression} gave up`);
      assert.deepEqual({ value: toPlain(value) }, await reference(expression)(input, bindings));
      assert.deepEqual(
        await viaConflux(expression, input, bindings),
        await reference(expression)(input, bindings),
      );
    });
  }

  // Values the direct evaluator leaves to JSONata: arrays mid-path, numbers JSONata rejects,
  // deep equality, a helper's error, a shadowing binding. The answer through Conflux is JSONata's.
  const stepping: [string, unknown, Record<string, unknown>?][] = [
    ['lines.sku', order],
    ['customer.tags.x', order],
    ['id + 1', order],
    ['id < 1', order],
    ['customer = customer', order],
    ['lines ? "y" : "n"', order],
    ['customer.tags or customer', order],
    ['id & lines', order],
    ['$lowercase(count)', order],
    ['$string(customer)', order],
    ['$formatDate(id, "dd.MM.yyyy")', order],
    ['{count: 1}', order],
    ['{"a": 1, "a": 2}', order],
    ['{"_jsonata_lambda": 1}', order],
    ['$who', order],
    ['$clean(id)', order, { clean: 'shadowed' }],
    ['count / 0', order],
    ['id', [order, order]],
  ];
  for (const [expression, input, bindings] of stepping) {
    test(`${expression} steps aside and Conflux answers what JSONata answers`, async () => {
      assert.equal(direct(expression)(input, bindings), INDIRECT);
      assert.deepEqual(
        await viaConflux(expression, input, bindings),
        await reference(expression)(input, bindings),
      );
    });
  }

  test('expressions outside the subset are not compiled directly', () => {
    for (const expression of [
      'lines[0]',
      'lines[qty > 1]',
      '$sum(lines.qty)',
      '$$.id',
      '[1, 2]',
      '$x := 1',
      'function($v) { $v }',
      'id in ["A-1"]',
      '[1..3]',
      '*.first',
      '**.value',
      'lines^(qty)',
      'lines{sku: qty}',
      '$lowercase()',
      '$lowercase(id, id)',
      '$string(id, true)',
      '$count()',
      '/ab/',
    ]) {
      assert.equal(compileDirect(jsonata(expression).ast(), helpers), undefined, expression);
    }
  });

  test('random documents: the same answers as JSONata for every expression', async () => {
    // A seeded generator: failures repeat.
    let seed = 20261129;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const strings = () => pick(['', ' x ', 'Ab', 'z', '2026-01-02T03:04:05Z', '1.234,5']);
    const numbers = () => pick([0, 1, -2, 0.1, 3.75, 1e21, 123456789.12345679, 0.1 + 0.2]);
    // Mostly the scalars the direct path answers, some arrays and objects it leaves to JSONata.
    const leaf = (): unknown =>
      pick([
        strings,
        strings,
        strings,
        numbers,
        numbers,
        () => pick([true, false, null]),
        () => [],
        () => [leaf()],
        () => [leaf(), leaf()],
        () => ({}),
      ])();
    const documentOf = (depth: number): Record<string, unknown> => {
      const document: Record<string, unknown> = {};
      for (const key of ['a', 'b', 'c']) {
        if (random() < 0.2) continue;
        document[key] = depth > 0 && random() < 0.4 ? documentOf(depth - 1) : leaf();
      }
      return document;
    };
    const expressions = [
      'a',
      'a.b',
      'a.b.c',
      'a & b',
      'a.a & "-" & b.b',
      'a + b',
      'a * 2 - c',
      '-a',
      'a = b',
      'a != c',
      'a < b',
      'a >= "m"',
      'a and b',
      'a or b.c',
      'a ? b : c',
      '{"x": a, "y": b.c, "z": a & c}',
      '{a: b}',
      '$lowercase(a)',
      '$trim(b)',
      '$clean(a)',
      '$default(a, b)',
      '$toNumber(a, "de-DE")',
      '$formatDate(a, "yyyy-MM-dd")',
      '(a; b.c)',
      '$string(a) & $string(b.c)',
      '$exists(a.b)',
      '$count(a)',
    ];
    let directAnswers = 0;
    for (const expression of expressions) {
      const evaluation = direct(expression);
      const expected = reference(expression);
      for (let index = 0; index < 150; index++) {
        const input = documentOf(2);
        if (evaluation(input, undefined) !== INDIRECT) directAnswers++;
        assert.deepEqual(
          await viaConflux(expression, input),
          await expected(input),
          `${expression} on ${JSON.stringify(input)}`,
        );
      }
    }
    // The comparison means something only if the direct path answered most of them.
    assert.ok(directAnswers > expressions.length * 150 * 0.5, `direct answers: ${directAnswers}`);
  });
});
