import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runGatewayConformance } from '../../src/platform/index.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/conformance/', import.meta.url));

test('the fixture project passes its conformance specs (every target, routing, visibility)', async () => {
  const report = await runGatewayConformance(FIXTURE, {});
  const failures = report.results
    .filter((result) => !result.passed)
    .map((result) => `${result.name}: ${result.diffs.join('; ')}`);
  assert.deepEqual(failures, []);
  assert.ok(report.passed >= 15, `ran ${report.passed} cases`);
});

test('a failing expectation is reported as a diff, not hidden', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'conflux-conf-'));
  try {
    cpSync(FIXTURE, dir, { recursive: true });
    writeFileSync(
      join(dir, 'specs/wrong.spec.yaml'),
      `name: wrong
keys: { shopper: { consumer: shopper } }
cases:
  - name: expects the wrong things
    request: { method: GET, path: /store/v2/stock/SKU-1001, headers: { x-api-key: '{{keys.shopper}}' } }
    expect: { status: 201, headers: { api-version: v1 }, body: { sku: SKU-9999, extra: [1] } }
`,
    );
    const report = await runGatewayConformance(dir, {});
    const wrong = report.results.find((result) => result.spec === 'wrong');
    assert.equal(wrong?.passed, false);
    assert.deepEqual(wrong?.diffs, [
      'status: expected 201, got 200',
      'header api-version: expected v1, got "v2"',
      'body.sku: expected "SKU-9999", got "SKU-1001"',
      'body.extra: expected an array of 1, got undefined',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
