import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { REPO, startConflux, stopConflux } from './harness.ts';

const execFileAsync = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'conflux-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function conflux(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), ...args], {
    cwd: REPO,
    input,
    env: { ...process.env, CONFLUX_LOG_LEVEL: 'warn', NO_COLOR: '1' },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('version and --help answer on every command', async () => {
  const version = conflux(['version', '--json']);
  assert.equal(version.status, 0);
  assert.match((JSON.parse(version.stdout) as { version: string }).version, /^\d+\.\d+\.\d+/);
  // Every command the top-level help lists (so a new command is covered without editing this).
  const top = conflux(['--help']);
  assert.equal(top.status, 0);
  const commands = [...(top.stdout.split('Commands:')[1] ?? '').matchAll(/^ {2}([a-z]+)/gm)]
    .map((match) => match[1] as string)
    .filter((name) => name !== 'help');
  assert.ok(commands.length >= 18, commands.join(' '));
  // In parallel: each is a separate process, and their start-up dominates.
  const helps = await Promise.all(
    commands.map((command) =>
      execFileAsync(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), command, '--help'], {
        cwd: REPO,
        env: { ...process.env, NO_COLOR: '1' },
      }),
    ),
  );
  for (const [index, { stdout }] of helps.entries()) {
    assert.match(stdout, new RegExp(`Usage: conflux ${commands[index]}`));
  }
});

test('init scaffolds a project that validates clean and starts', async () => {
  const init = conflux(['init', join(scratch, 'shop-sync')]);
  assert.equal(init.status, 0, init.stderr);
  const validate = conflux(['validate', join(scratch, 'shop-sync'), '--json']);
  assert.equal(validate.status, 0, validate.stdout + validate.stderr);
  assert.deepEqual(JSON.parse(validate.stdout), { valid: true, problemCount: 0, problems: [] });
  const again = conflux(['init', join(scratch, 'shop-sync')]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /PROJECT_EXISTS/);

  const proc = await startConflux(join(scratch, 'shop-sync'));
  assert.equal((await fetch(`${proc.gatewayUrl}/readyz`)).status, 200);
  assert.equal(await stopConflux(proc), 0);
});

test('validate names file:line:column, what was found and what was expected, and exits 1', () => {
  assert.equal(conflux(['init', join(scratch, 'typo')]).status, 0);
  const flowFile = join(scratch, 'typo/flows');
  const flows = spawnSync('ls', [flowFile], { encoding: 'utf8' }).stdout.trim().split('\n');
  const file = join(flowFile, flows.find((name) => name.endsWith('.yaml')) as string);
  const original = readFileSync(file, 'utf8');
  const lines = original.split('\n');
  const index = lines.findIndex((line) => /type: call/.test(line));
  assert.ok(index >= 0, 'the scaffolded flow has a call step');
  lines[index] = (lines[index] as string).replace('type: call', 'type: cal');
  writeFileSync(file, lines.join('\n'));

  const human = conflux(['validate', join(scratch, 'typo')]);
  assert.equal(human.status, 1);
  const column = (lines[index] as string).indexOf('cal') + 1;
  assert.match(human.stderr, new RegExp(`flows/[\\w-]+\\.yaml:${index + 1}:${column}`));
  assert.match(human.stderr, /found:\s+"cal"/);
  assert.match(human.stderr, /expected:.*call/);

  const json = conflux(['validate', join(scratch, 'typo'), '--json']);
  assert.equal(json.status, 1);
  const report = JSON.parse(json.stdout) as {
    valid: boolean;
    problems: { file: string; line: number; column: number }[];
  };
  assert.equal(report.valid, false);
  assert.equal(report.problems[0]?.line, index + 1);
  assert.equal(report.problems[0]?.column, column);
});

test('validate reports an operation a system does not have, at its line', () => {
  assert.equal(conflux(['init', join(scratch, 'badop')]).status, 0);
  const flowDir = join(scratch, 'badop/flows');
  const name = spawnSync('ls', [flowDir], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .find((f) => f.endsWith('.yaml')) as string;
  const file = join(flowDir, name);
  const text = readFileSync(file, 'utf8');
  const match = /operation: (\w+)/.exec(text);
  assert.ok(match);
  writeFileSync(file, text.replace(match[0], 'operation: noSuchOperation'));
  const result = conflux(['validate', join(scratch, 'badop')]);
  assert.equal(result.status, 1);
  const line = text.split('\n').findIndex((l) => l.includes(match[0])) + 1;
  assert.match(
    result.stderr,
    new RegExp(`flows/${name}:${line}:\\d+\\s+reference\\s+operation "noSuchOperation" does not exist`),
  );
});
