import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compileErrors, validate } from '@readme/openapi-parser';
import jsonata from 'jsonata';
import { ConfluxError } from '../../src/errors/index.ts';
import { loadProject, scaffoldProject } from '../../src/project/index.ts';
import { emptyDir, removeTempDirs } from './helpers.ts';

after(removeTempDirs);

test('the scaffold loads with no problems and has a route to an operation and to a flow', async () => {
  const dir = emptyDir();
  const result = await scaffoldProject(dir, { name: 'demo' });
  assert.ok(result.files.includes('conflux.yaml') && result.files.includes('.gitignore'));
  const { project, problems } = await loadProject(dir);
  assert.deepEqual(problems, []);
  assert.ok(project);
  assert.equal(project.settings.name, 'demo');
  assert.equal(project.systems.get('echo')?.baseUrl, 'mock');
  const kinds = project.apis.get('hello')?.routes.map((route) => route.target.kind);
  assert.deepEqual(kinds, ['operation', 'flow']);
  const flow = project.flows.get('send-message');
  assert.deepEqual(
    flow?.steps.map((step) => step.type),
    ['map', 'call'],
  );
  assert.equal(flow?.triggers[0]?.type, 'webhook');
  assert.match(readFileSync(join(dir, '.gitignore'), 'utf8'), /^\.conflux\/$/m);
});

test('the scaffold works beyond loading: its OpenAPI document is valid and its expressions compile and run', async () => {
  const dir = emptyDir();
  await scaffoldProject(dir, { name: 'demo' });
  const { project } = await loadProject(dir);
  const echo = project?.systems.get('echo');
  assert.ok(echo);
  const checked = await validate(echo.descriptionFile);
  assert.equal(checked.valid, true, checked.valid ? '' : compileErrors(checked));
  const flow = project?.flows.get('send-message');
  assert.ok(flow);
  const message = flow.steps[0];
  assert.ok(message?.type === 'map');
  const shaped = await jsonata(message.expression).evaluate({ trigger: { body: { text: 'hi' } }, steps: {} });
  assert.deepEqual({ ...shaped }, { text: 'HI', from: 'anonymous' });
  const call = flow.steps[1];
  assert.ok(call?.type === 'call' && call.input !== undefined);
  assert.deepEqual(
    { ...(await jsonata(call.input).evaluate({ steps: { message: shaped } })) },
    { body: shaped },
  );
  const stored = { status: 201, headers: {}, body: { id: 'msg-1', text: 'HI', from: 'anonymous' } };
  const output = await jsonata(flow.output ?? '').evaluate({ steps: { message: shaped, stored } });
  assert.deepEqual({ ...output }, { id: 'msg-1', text: 'HI' });
});

test('the scaffold never overwrites a project', async () => {
  const dir = emptyDir();
  await scaffoldProject(dir, { name: 'demo' });
  writeFileSync(join(dir, 'conflux.yaml'), 'name: mine\n');
  await assert.rejects(scaffoldProject(dir, { name: 'demo' }), (error: unknown) => {
    assert.ok(error instanceof ConfluxError);
    assert.equal(error.code, 'PROJECT_EXISTS');
    return true;
  });
  assert.equal(readFileSync(join(dir, 'conflux.yaml'), 'utf8'), 'name: mine\n');
});

test('the scaffold refuses a folder holding one of its files, before writing anything', async () => {
  const dir = emptyDir();
  writeFileSync(join(dir, 'README.md'), 'mine\n');
  await assert.rejects(scaffoldProject(dir, { name: 'demo' }), /README\.md/);
  assert.equal(readFileSync(join(dir, 'README.md'), 'utf8'), 'mine\n');
  await assert.rejects(loadProject(dir), { code: 'PROJECT_NOT_FOUND' });
});

test('an existing .gitignore is extended, and the name defaults to the folder name', async () => {
  const dir = join(emptyDir(), 'My Shop_2');
  await scaffoldProject(dir);
  const { project } = await loadProject(dir);
  assert.equal(project?.settings.name, 'my-shop-2');

  const other = emptyDir();
  writeFileSync(join(other, '.gitignore'), 'node_modules');
  await scaffoldProject(other, { name: 'x' });
  assert.equal(readFileSync(join(other, '.gitignore'), 'utf8'), 'node_modules\n.conflux/\n');
});

test('an invalid name is PROJECT_INVALID', async () => {
  await assert.rejects(scaffoldProject(emptyDir(), { name: 'Bad Name' }), { code: 'PROJECT_INVALID' });
});
