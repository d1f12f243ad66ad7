import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readSettings, runProjectTests } from '../../src/platform/index.ts';

describe('conflux test (flow and mapping tests)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'conflux-flowtest-'));
    cpSync('examples/retail', dir, { recursive: true, filter: (path) => !path.includes('.conflux') });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the demo project passes its tests', async () => {
    const results = await runProjectTests(dir, { settings: readSettings({}) });
    assert.equal(results.length, 3);
    assert.deepEqual(
      results.filter((r) => !r.passed),
      [],
    );
  });

  test('a wrong expectation fails with a diff naming the path', async () => {
    const file = join(dir, 'flows/place-order.test.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      original
        .replace('paymentId: pay-1', 'paymentId: pay-9')
        .replace('input: { sku: SKU-1001 }', 'input: { sku: SKU-1 }'),
    );
    try {
      const results = await runProjectTests(dir, { settings: readSettings({}) });
      const failed = results.filter((r) => !r.passed);
      assert.equal(failed.length, 1);
      assert.deepEqual(failed[0]?.problems, [
        'calls[0].input.sku: expected "SKU-1", got "SKU-1001"',
        'output.paymentId: expected "pay-9", got "pay-1"',
      ]);
    } finally {
      writeFileSync(file, original);
    }
  });

  test('--record fills responses from the mock systems and the recorded test then passes', async () => {
    const file = join(dir, 'flows/place-order.test.yaml');
    // Keep the first case only, without responses and without a fixed output.
    writeFileSync(
      file,
      [
        'cases:',
        '  - name: recorded order',
        '    trigger:',
        '      body: { orderId: ORD-7, placedAt: "2024-03-05T14:30:00Z", customer: { email: a@b.example }, items: [{ sku: sku-1001, quantity: 1, unitPrice: "3.00" }] }',
        '    expect:',
        '      calls: [{ operation: inventory.getStock }, { operation: inventory.reserveStock }, { operation: payments.createPayment }, { operation: crm.createActivity }]',
        '',
      ].join('\n'),
    );
    const recorded = await runProjectTests(dir, { settings: readSettings({}), record: true });
    assert.deepEqual(
      recorded.filter((r) => !r.passed),
      [],
    );
    const text = readFileSync(file, 'utf8');
    for (const step of ['stock:', 'reservation:', 'payment:', 'crm:'])
      assert.ok(text.includes(step), `${step} recorded`);
    const replayed = await runProjectTests(dir, { settings: readSettings({}) });
    assert.deepEqual(
      replayed.filter((r) => !r.passed),
      [],
    );
  });
});
