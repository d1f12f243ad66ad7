import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import jsonata from 'jsonata';
import { importArazzo } from '../../src/engine/index.ts';
import { isConfluxError } from '../../src/errors/index.ts';
import { loadProject } from '../../src/project/index.ts';
import { ARAZZO, createArazzoProject } from './arazzo-fixture.ts';

async function load(dir: string) {
  const { project, problems } = await loadProject(dir);
  assert.ok(project, JSON.stringify(problems));
  return project;
}

async function evaluate(expression: string, context: unknown): Promise<unknown> {
  // JSONata builds objects without a prototype; compare plain JSON.
  const value: unknown = await jsonata(expression).evaluate(context);
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

describe('Arazzo import: conversion', () => {
  const fixtures: { remove(): void }[] = [];
  after(() => {
    for (const fixture of fixtures) fixture.remove();
  });
  const fixture = (arazzo?: string) => {
    const created = createArazzoProject(arazzo);
    fixtures.push(created);
    return created;
  };

  test('each workflow becomes a flow; runtime expressions become JSONata over { trigger, steps }', async () => {
    const { dir, arazzoFile } = fixture();
    const { flows, warnings } = await importArazzo({
      file: arazzoFile,
      project: await load(dir),
      write: false,
    });
    assert.deepEqual(
      flows.map((flow) => [flow.workflowId, flow.name, flow.file]),
      [
        ['register-pet', 'register-pet', 'flows/register-pet.yaml'],
        ['adoptPet', 'adopt-pet', 'flows/adopt-pet.yaml'],
      ],
    );
    const register = flows[0]?.flow as {
      steps: Record<string, unknown>[];
      output: string;
      triggers: unknown[];
    };
    assert.deepEqual(register.triggers, [{ type: 'webhook', path: 'register-pet', mode: 'sync' }]);
    assert.deepEqual(
      register.steps.map((step) => `${step.id}:${step.type}`),
      [
        'add_pet:call',
        'add_pet_check:branch',
        'fetch_pet:call',
        'fetch_pet_check:branch',
        'owner:call',
        'prs:call',
        'prs_check:branch',
      ],
    );
    const [addPet, , fetchPet, , owner] = register.steps;
    assert.equal(addPet?.system, 'petstore');
    assert.equal(addPet?.operation, 'addPet');
    assert.equal(
      fetchPet?.operation,
      'find pet by id',
      'operationPath resolves to the operation at that path',
    );
    assert.deepEqual(owner?.retry, { attempts: 3, backoffMs: 100 }, 'onFailure retry becomes the step retry');

    // The generated expressions compute what the Arazzo document says, over a run context.
    const context = {
      trigger: { body: { petId: 42, name: 'Rex', owner: 'ada' } },
      steps: {
        add_pet: { status: 200, headers: {}, body: { id: 42, name: 'Rex' } },
        fetch_pet: { status: 200, headers: {}, body: { id: 42, name: 'Rex', tag: 'owned by ada' } },
        owner: { status: 200, headers: {}, body: { username: 'ada' } },
      },
    };
    assert.deepEqual(await evaluate(String(addPet?.input), context), {
      body: { id: 42, name: 'Rex', tag: 'owned by ada' },
    });
    assert.deepEqual(await evaluate(String(fetchPet?.input), context), { id: 42 });
    assert.deepEqual(await evaluate(register.output, context), {
      petId: 42,
      pet: { id: 42, name: 'Rex', tag: 'owned by ada' },
      owner: 'ada',
      label: 'pet 42 of ada',
    });
    // successCriteria: the branch fails the run exactly when a criterion does not hold.
    const check = register.steps[3] as { if: string; then: { type: string; code: string }[] };
    assert.equal(await evaluate(check.if, context), false);
    const renamed = structuredClone(context);
    renamed.steps.fetch_pet.body.name = 'Max';
    assert.equal(await evaluate(check.if, renamed), true);
    assert.deepEqual(
      check.then.map((step) => [step.type, step.code]),
      [['fail', 'ARAZZO_CRITERIA_UNMET']],
    );

    const adopt = flows[1]?.flow as { steps: Record<string, unknown>[]; output: string };
    assert.equal(adopt.steps[0]?.type, 'subflow');
    assert.equal(adopt.steps[0]?.flow, 'register-pet');
    assert.deepEqual(
      await evaluate(String(adopt.steps[0]?.input), { trigger: { body: { petName: 'Tom' } } }),
      {
        body: { name: 'Tom', petId: 7, owner: 'ada' },
      },
    );
    assert.deepEqual(await evaluate(adopt.output, { steps: { register: { petId: 7 } } }), { adopted: 7 });

    // Nothing the flow cannot express is dropped silently: each is a warning at its pointer.
    assert.deepEqual(warnings.map((warning) => warning.pointer).sort(), [
      '/workflows/0/inputs',
      '/workflows/0/steps/2/onFailure/0',
      '/workflows/0/steps/2/parameters/1',
      '/workflows/0/steps/3/outputs/sentBy',
      '/workflows/0/steps/3/successCriteria/1/type',
      '/workflows/1/workflowId',
    ]);
  });

  test('a source description that matches no system fails with ENGINE_ARAZZO_INVALID naming its pointer', async () => {
    const { dir, arazzoFile } = fixture(
      ARAZZO.replace(
        '- { name: repos, url: ./specs/link-example.yaml',
        '- { name: github, url: ./specs/elsewhere.yaml',
      ),
    );
    await assert.rejects(
      importArazzo({ file: arazzoFile, project: await load(dir), write: false }),
      (error: unknown) =>
        isConfluxError(error) &&
        error.code === 'ENGINE_ARAZZO_INVALID' &&
        error.details.pointer === '/sourceDescriptions/1' &&
        /matches no system/.test(error.message),
    );
  });

  test('a reference to a step that is not earlier fails, naming the parameter', async () => {
    const { dir, arazzoFile } = fixture(
      ARAZZO.replace('value: $steps.add-pet.outputs.petId }', 'value: $steps.later.outputs.petId }'),
    );
    await assert.rejects(
      importArazzo({ file: arazzoFile, project: await load(dir), write: false }),
      (error: unknown) =>
        isConfluxError(error) &&
        error.code === 'ENGINE_ARAZZO_INVALID' &&
        error.details.pointer === '/workflows/0/steps/1/parameters/0/value' &&
        /no earlier step "later"/.test(error.message),
    );
  });

  test('an unknown operationId and a document that is not Arazzo 1.0 fail with their pointers', async () => {
    const unknown = fixture(ARAZZO.replace('operationId: getUserByName', 'operationId: getUserByNickname'));
    await assert.rejects(
      importArazzo({ file: unknown.arazzoFile, project: await load(unknown.dir), write: false }),
      (error: unknown) =>
        isConfluxError(error) && error.details.pointer === '/workflows/0/steps/2/operationId',
    );
    const old = fixture(ARAZZO.replace('arazzo: 1.0.1', 'arazzo: 0.9.0'));
    await assert.rejects(
      importArazzo({ file: old.arazzoFile, project: await load(old.dir), write: false }),
      (error: unknown) =>
        isConfluxError(error) &&
        error.code === 'ENGINE_ARAZZO_INVALID' &&
        error.details.pointer === '/arazzo',
    );
  });

  test('existing flow files are kept unless forced', async () => {
    const { dir, arazzoFile } = fixture();
    const project = await load(dir);
    await importArazzo({ file: arazzoFile, project });
    await assert.rejects(importArazzo({ file: arazzoFile, project }), /already exist/);
    const again = await importArazzo({ file: arazzoFile, project, force: true });
    assert.equal(again.flows.length, 2);
  });
});
