import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const corpus = (path: string) => fileURLToPath(new URL(`../../../shared/corpus/${path}`, import.meta.url));

async function conflux(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), ...args],
      { cwd: REPO, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('conflux system add', () => {
  let project: string;
  before(() => {
    project = mkdtempSync(join(tmpdir(), 'conflux-system-add-'));
    writeFileSync(join(project, 'conflux.yaml'), 'name: imports\n');
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  for (const [name, file, kind, count] of [
    ['weather', 'wsdl/wirespec/global-weather.wsdl', 'wsdl', 2],
    ['lights', 'asyncapi/asyncapi-spec/v3.0/streetlights-kafka-asyncapi.yml', 'asyncapi', 4],
    ['pets', 'openapi/oai/v2.0/petstore-separate/spec/swagger.yaml', 'openapi', 4],
    ['banking', 'openapi/cds-au/cds_banking.json', 'openapi', 19],
  ] as const) {
    test(`${kind}: ${file}`, async () => {
      const result = await conflux([
        'system',
        'add',
        name,
        '--from',
        corpus(file),
        '--project',
        project,
        '--json',
      ]);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as { kind: string; operations: string[]; systemFile: string };
      assert.equal(report.kind, kind);
      assert.equal(report.operations.length, count);
      const yaml = readFileSync(join(project, 'systems', `${name}.yaml`), 'utf8');
      assert.match(yaml, new RegExp(`^${kind}: \\.\\./specs/`, 'm'));
      assert.match(yaml, /^baseUrl: mock$/m);
    });
  }

  test('the project with every imported system validates', async () => {
    const result = await conflux(['validate', project, '--json']);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  });

  test('an existing system is not overwritten without --force; a bad document writes nothing', async () => {
    const again = await conflux([
      'system',
      'add',
      'weather',
      '--from',
      corpus('wsdl/node-soap/stockquote.wsdl'),
      '--project',
      project,
    ]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /SYSTEM_IMPORT_FAILED.*--force/);
    const broken = join(project, 'broken.yaml');
    writeFileSync(broken, 'hello: world\n');
    const bad = await conflux(['system', 'add', 'broken', '--from', broken, '--project', project]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /SYSTEM_DESCRIPTION_INVALID/);
    assert.throws(() => readFileSync(join(project, 'systems', 'broken.yaml')));
  });
});
