import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readSettings, runProjectTests } from '../../src/platform/index.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const examples = join(REPO, 'examples');
const run = promisify(execFile);

/** The real CLI, as `conflux <args>` runs it from a checkout. */
async function conflux(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), ...args],
      {
        cwd: REPO,
        env: { ...process.env, CONFLUX_LOG_LEVEL: 'warn', NO_COLOR: '1' },
      },
    );
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '' };
  }
}

// The industry examples of the connectors work, through the CLI as a user runs them.
const INDUSTRY = [
  { name: 'healthcare-patient-sync', tests: 5 },
  { name: 'open-banking', tests: 4 },
  { name: 'logistics-shipment-tracking', tests: 7 },
];

describe('the industry examples through the CLI: conflux validate and conflux test', () => {
  for (const example of INDUSTRY) {
    test(example.name, async () => {
      const dir = join(examples, example.name);
      const validate = await conflux(['validate', dir, '--json']);
      assert.equal(validate.code, 0, validate.stdout);
      assert.deepEqual(JSON.parse(validate.stdout), { valid: true, problemCount: 0, problems: [] });
      const tested = await conflux(['test', '--project', dir, '--json']);
      assert.equal(tested.code, 0, tested.stdout);
      const report = JSON.parse(tested.stdout) as { passed: number; failed: number };
      assert.deepEqual(
        { passed: report.passed, failed: report.failed },
        { passed: example.tests, failed: 0 },
      );
      assert.ok(existsSync(join(dir, 'README.md')), 'a README says what the example does');
    });
  }
});

describe('every other examples/* project passes its mapping and flow tests', () => {
  const others = readdirSync(examples).filter(
    (entry) =>
      existsSync(join(examples, entry, 'conflux.yaml')) &&
      !INDUSTRY.some((example) => example.name === entry),
  );
  for (const name of others) {
    test(name, async () => {
      const results = await runProjectTests(join(examples, name), { settings: readSettings({}) });
      assert.deepEqual(
        results
          .filter((result) => !result.passed)
          .map((result) => `${result.name}: ${result.problems.join('; ')}`),
        [],
      );
    });
  }
});
