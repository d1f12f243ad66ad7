import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createFileInbox, readRecords } from '../../src/adapters/index.ts';
import { createLogger } from '../../src/observability/index.ts';

const logger = createLogger({ level: 'silent' });
const columns = [
  { name: 'shipmentId', type: 'string' as const, required: true },
  { name: 'weightKg', type: 'number' as const },
  { name: 'pieces', type: 'integer' as const },
  { name: 'shippedOn', type: 'date' as const },
];

describe('CSV and fixed-width files from a watched inbox', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'conflux-inbox-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('10,000 rows with 3 bad ones: 9,997 records and a 3-line error report', async () => {
    const lines = ['shipmentId,weightKg,pieces,shippedOn'];
    for (let i = 1; i <= 10_000; i += 1)
      lines.push(`SH${i},${(i % 97) + 0.5},${i % 7},2025-03-${String((i % 28) + 1).padStart(2, '0')}`);
    lines[1001] = 'SH1001,heavy,2,2025-03-01'; // not a number
    lines[5002] = 'SH5002,1.5,3'; // a field missing
    lines[9003] = 'SH9003,2.5,4,2025-13-45x'; // not a date
    writeFileSync(join(dir, 'shipments.csv'), `${lines.join('\n')}\n`);
    const seen: Record<string, unknown>[] = [];
    const inbox = createFileInbox({
      dir,
      pattern: /\.csv$/,
      format: { kind: 'csv', columns },
      logger,
      settleMs: 0,
      onRecord: (record) => {
        seen.push(record);
        return Promise.resolve();
      },
    });
    const outcomes = await inbox.scan(); // first pass notes the size
    const settled = outcomes.length > 0 ? outcomes : await inbox.scan();
    assert.equal(settled.length, 1);
    const outcome = settled[0];
    assert.ok(outcome);
    assert.equal(outcome.records, 9_997);
    assert.equal(seen.length, 9_997);
    assert.deepEqual(seen[0], { shipmentId: 'SH1', weightKg: 1.5, pieces: 1, shippedOn: '2025-03-02' });
    assert.deepEqual(
      outcome.errors.map((error) => [error.line, error.column]),
      [
        [1002, 'weightKg'],
        [5003, ''],
        [9004, 'shippedOn'],
      ],
    );
    const report = readFileSync(outcome.report as string, 'utf8')
      .trim()
      .split('\n');
    assert.equal(report.length, 4, 'a header and 3 lines');
    assert.match(
      report[1] as string,
      /^1002,"weightKg","""heavy"" is not a valid number","SH1001,heavy,2,2025-03-01"$/,
    );
    assert.match(report[2] as string, /has 3 fields; expected 4/);
    assert.equal(outcome.movedTo, join(dir, 'archive', 'shipments.csv'));
    assert.equal(existsSync(join(dir, 'shipments.csv')), false);
  });

  test('a file without one good row goes to error/', async () => {
    writeFileSync(join(dir, 'garbage.csv'), 'a,b\nnot,enough\n');
    const inbox = createFileInbox({
      dir,
      pattern: /\.csv$/,
      format: { kind: 'csv', columns },
      logger,
      settleMs: 0,
      onRecord: async () => undefined,
    });
    const outcome = await inbox.processFile(join(dir, 'garbage.csv'));
    assert.equal(outcome.records, 0);
    assert.equal(outcome.movedTo, join(dir, 'error', 'garbage.csv'));
  });

  test('fixed-width records, with short lines reported', async () => {
    const file = join(dir, 'manifest.txt');
    writeFileSync(file, ['SH00000001  12.50003', 'SH00000002   7.25011', 'SHORT'].join('\n'));
    const rows = [];
    for await (const row of readRecords(file, {
      kind: 'fixed-width',
      fields: [
        { name: 'shipmentId', start: 0, length: 10 },
        { name: 'weightKg', start: 10, length: 7, type: 'number' },
        { name: 'pieces', start: 17, length: 3, type: 'integer' },
      ],
    }))
      rows.push(row);
    assert.deepEqual(rows[0], { line: 1, record: { shipmentId: 'SH00000001', weightKg: 12.5, pieces: 3 } });
    assert.deepEqual(rows[1], { line: 2, record: { shipmentId: 'SH00000002', weightKg: 7.25, pieces: 11 } });
    assert.ok('error' in (rows[2] as object));
  });

  test('the watcher picks up a dropped file by itself', async () => {
    const seen: unknown[] = [];
    const inbox = createFileInbox({
      dir,
      pattern: /^drop.*\.csv$/,
      format: { kind: 'csv', columns },
      logger,
      pollMs: 50,
      settleMs: 100,
      onRecord: (record) => {
        seen.push(record);
        return Promise.resolve();
      },
    });
    const outcomes: unknown[] = [];
    inbox.start((outcome) => outcomes.push(outcome));
    writeFileSync(join(dir, 'drop-1.csv'), 'shipmentId,weightKg,pieces,shippedOn\nSH1,1,1,2025-01-01\n');
    for (let i = 0; i < 100 && outcomes.length === 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await inbox.stop();
    assert.equal(outcomes.length, 1);
    assert.equal(seen.length, 1);
  });
});
