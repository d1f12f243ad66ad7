import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type ConfluxProcess, REPO, startConflux, stopConflux } from '../e2e/harness.ts';
import { createArazzoProject } from './arazzo-fixture.ts';

const run = promisify(execFile);
const CLI = join(REPO, 'src/cli/main.ts');

function conflux(args: string[]) {
  return run(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, timeout: 60_000 });
}

async function post(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('conflux flow import <arazzo-file>: imported workflows validate and run against the mocks', () => {
  const fixture = createArazzoProject();
  let server: ConfluxProcess | undefined;
  let imported: {
    flows: { workflowId: string; file: string }[];
    warnings: { pointer: string }[];
    problems: unknown[];
  };

  before(async () => {
    const { stdout } = await conflux([
      'flow',
      'import',
      fixture.arazzoFile,
      '--project',
      fixture.dir,
      '--json',
    ]);
    imported = JSON.parse(stdout);
    server = await startConflux(fixture.dir, { timeoutMs: 60_000 });
  });
  after(async () => {
    if (server !== undefined) await stopConflux(server);
    fixture.remove();
  });

  test('writes flows/<workflowId>.yaml, reports warnings by pointer, and `conflux validate` passes', async () => {
    assert.deepEqual(
      imported.flows.map((flow) => flow.file),
      ['flows/register-pet.yaml', 'flows/adopt-pet.yaml'],
    );
    assert.deepEqual(imported.problems, []);
    assert.ok(imported.warnings.some((warning) => warning.pointer === '/workflows/0/steps/3/outputs/sentBy'));
    assert.match(
      readFileSync(join(fixture.dir, 'flows/register-pet.yaml'), 'utf8'),
      /operation: find pet by id/,
    );
    const { stdout } = await conflux(['validate', fixture.dir, '--json']);
    assert.deepEqual(JSON.parse(stdout), { valid: true, problemCount: 0, problems: [] });
  });

  test('the workflow runs end to end: body, replacements, operationPath, step outputs and workflow outputs', async () => {
    const answer = await post(`${server?.gatewayUrl}/hooks/register-pet`, {
      petId: 42,
      name: 'Rex',
      owner: 'ada',
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const output = answer.body as { petId: number; pet: unknown; owner: unknown; label: string };
    assert.equal(output.petId, 42);
    // The mock keeps state: the pet read back by id is the one the first step created.
    assert.deepEqual(output.pet, { id: 42, name: 'Rex', tag: 'owned by ada' });
    assert.equal(typeof output.owner, 'string');
    assert.equal(output.label, 'pet 42 of ada');
  });

  test('a workflow step runs the other workflow as a subflow', async () => {
    const answer = await post(`${server?.gatewayUrl}/hooks/adopt-pet`, { petName: 'Tom' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, { adopted: 7 });
  });
});
