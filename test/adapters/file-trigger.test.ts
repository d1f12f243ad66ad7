import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { globPattern } from '../../src/adapters/index.ts';
import { createEngine } from '../../src/engine/index.ts';
import { createLogger, createMetrics } from '../../src/observability/index.ts';
import { loadProject, type Project } from '../../src/project/index.ts';
import { createStore, type RunRecord, type Store } from '../../src/store/index.ts';
import { until } from '../systems/wait-until.ts';

const CSV = `shipmentId,weightKg,pieces
SH1,1.5,1
SH2,2.5,2
SH3,heavy,3
SH4,4.5,4
SH5,5.5,5
SH6,6.5,6
`;

const flow = (name: string, trigger: string) => `name: ${name}
triggers:
  - type: file
${trigger
  .trim()
  .split('\n')
  .map((line) => `    ${line}`)
  .join('\n')}
steps:
  - { id: seen, type: map, expression: 'trigger' }
output: steps.seen
`;

const COLUMNS = `columns:
  - { name: shipmentId, required: true }
  - { name: weightKg, type: number }
  - { name: pieces, type: integer }`;

describe('a drop folder as a flow trigger: per record, per batch, per file', () => {
  let dir: string;
  let store: Store;
  let project: Project;
  let engine: ReturnType<typeof createEngine>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'conflux-filetrigger-'));
    mkdirSync(join(dir, 'flows'));
    writeFileSync(join(dir, 'conflux.yaml'), 'name: files\n');
    const common = `pattern: '*.csv'\nevery: 100ms\nsettle: 100ms\n${COLUMNS}`;
    writeFileSync(join(dir, 'flows', 'per-record.yaml'), flow('per-record', `dir: inbox/records\n${common}`));
    writeFileSync(
      join(dir, 'flows', 'per-batch.yaml'),
      flow('per-batch', `dir: inbox/batches\nper: batch\nbatchSize: 2\n${common}`),
    );
    writeFileSync(
      join(dir, 'flows', 'per-file.yaml'),
      flow('per-file', `dir: inbox/files\nper: file\n${common}`),
    );
    writeFileSync(
      join(dir, 'flows', 'fixed-width.yaml'),
      flow(
        'fixed-width',
        `dir: inbox/fixed
every: 100ms
settle: 100ms
fields:
  - { name: code, start: 0, length: 4, required: true }
  - { name: quantity, start: 4, length: 5, type: integer }`,
      ),
    );
    const loaded = await loadProject(dir);
    assert.deepEqual(loaded.problems, []);
    project = loaded.project as Project;
    store = await createStore({ sqlitePath: join(dir, 'engine.db') });
    engine = createEngine({
      store,
      systems: { call: () => Promise.reject(new Error('no systems here')) },
      redact: (value) => value,
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics(),
      pollIntervalMs: 20,
    });
    engine.load(project.flows, project.mappings);
    await engine.start();
  });

  after(async () => {
    await engine.stop(1000);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const succeeded = (flowName: string, count: number) =>
    until(
      async () => (await store.runs.list({ flow: flowName, status: 'succeeded', limit: 100 })).runs,
      (runs: RunRecord[]) => runs.length >= count,
      `${count} runs of ${flowName}`,
    ).then((runs) => runs.map((run) => run.output).reverse());

  test('the model resolves the folder against the project root and fills the defaults', () => {
    const trigger = project.flows.get('per-record')?.triggers[0];
    assert.deepEqual(trigger, {
      type: 'file',
      dir: join(dir, 'inbox/records'),
      pattern: '*.csv',
      format: {
        kind: 'csv',
        columns: [
          { name: 'shipmentId', required: true },
          { name: 'weightKg', type: 'number' },
          { name: 'pieces', type: 'integer' },
        ],
      },
      per: 'record',
      batchSize: 100,
      everyMs: 100,
      settleMs: 100,
      source: trigger?.source,
    });
    assert.ok(globPattern('*.csv').test('Shipments-2024.CSV'));
    assert.equal(globPattern('*.csv').test('shipments.csv.tmp'), false);
  });

  test('per record: a run per good row; the bad row goes to the error report; the file is archived', async () => {
    writeFileSync(join(dir, 'inbox/records/day1.csv'), CSV);
    writeFileSync(join(dir, 'inbox/records/notes.txt'), 'not matched by the pattern');
    const outputs = (await succeeded('per-record', 5)) as { line: number; record: { shipmentId: string } }[];
    assert.deepEqual(outputs.map((output) => [output.line, output.record.shipmentId]).sort(), [
      [2, 'SH1'],
      [3, 'SH2'],
      [5, 'SH4'],
      [6, 'SH5'],
      [7, 'SH6'],
    ]);
    assert.deepEqual(
      outputs.find((output) => output.line === 2),
      {
        file: 'day1.csv',
        line: 2,
        record: { shipmentId: 'SH1', weightKg: 1.5, pieces: 1 },
      },
    );
    await until(async () => existsSync(join(dir, 'inbox/records/archive/day1.csv')), Boolean, 'the archive');
    const report = readFileSync(join(dir, 'inbox/records/error/day1.csv.errors.csv'), 'utf8')
      .trim()
      .split('\n');
    assert.deepEqual(report, [
      'line,column,message,raw',
      '4,"weightKg","""heavy"" is not a valid number","SH3,heavy,3"',
    ]);
    assert.equal(existsSync(join(dir, 'inbox/records/notes.txt')), true, 'other files stay');
  });

  test('per batch: runs of batchSize records, the last one shorter', async () => {
    writeFileSync(join(dir, 'inbox/batches/day1.csv'), CSV);
    const outputs = (await succeeded('per-batch', 3)) as {
      batch: number;
      lines: { from: number; to: number };
      records: { shipmentId: string }[];
    }[];
    assert.deepEqual(
      outputs
        .sort((a, b) => a.batch - b.batch)
        .map((output) => [output.batch, output.lines, output.records.map((record) => record.shipmentId)]),
      [
        [0, { from: 2, to: 3 }, ['SH1', 'SH2']],
        [1, { from: 5, to: 6 }, ['SH4', 'SH5']],
        [2, { from: 7, to: 7 }, ['SH6']],
      ],
    );
  });

  test('per file: one run with every good record and the row errors', async () => {
    writeFileSync(join(dir, 'inbox/files/day1.csv'), CSV);
    const [output] = (await succeeded('per-file', 1)) as {
      file: string;
      records: unknown[];
      errors: { line: number; column: string }[];
    }[];
    assert.equal(output?.file, 'day1.csv');
    assert.equal(output?.records.length, 5);
    assert.deepEqual(
      output?.errors.map((error) => [error.line, error.column]),
      [[4, 'weightKg']],
    );
  });

  test('fixed-width files, any name by default', async () => {
    writeFileSync(join(dir, 'inbox/fixed/stock.dat'), 'A001   12\nB002    7\nC0\n');
    const outputs = (await succeeded('fixed-width', 2)) as { record: { code: string; quantity: number } }[];
    assert.deepEqual(
      outputs.map((output) => output.record).sort((a, b) => a.code.localeCompare(b.code)),
      [
        { code: 'A001', quantity: 12 },
        { code: 'B002', quantity: 7 },
      ],
    );
    await until(
      async () => existsSync(join(dir, 'inbox/fixed/error/stock.dat.errors.csv')),
      Boolean,
      'the report',
    );
  });
});
