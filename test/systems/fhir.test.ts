import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src/engine/index.ts';
import { ConfluxError } from '../../src/errors/index.ts';
import { createLogger, createMetrics } from '../../src/observability/index.ts';
import { createSystemsRuntimeManager } from '../../src/platform/index.ts';
import { loadProject, type Project } from '../../src/project/index.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import { type AddSystemResult, addSystem } from '../../src/systems/index.ts';
import { type FhirServer, startFhirServer } from './fhir-server.ts';
import { until } from './wait-until.ts';

const capability = fileURLToPath(new URL('./fixtures/fhir-capability.json', import.meta.url));
const minute = (n: number) => new Date(Date.UTC(2024, 2, 1, 10, n)).toISOString();

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<ConfluxError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConfluxError, String(error));
    assert.equal(error.code, code, error.message);
    return error;
  }
  return assert.fail(`expected ${code}`);
}

describe('FHIR R4 system kind against a local FHIR server', () => {
  let fhir: FhirServer;
  let dir: string;
  let imported: AddSystemResult;
  let project: Project;
  const systems = createSystemsRuntimeManager({
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics(),
    resolveSecret: (name) =>
      name === 'ehr-token' ? Promise.resolve('ehr-secret-token') : Promise.reject(new Error(name)),
  });
  let runtime: Awaited<ReturnType<typeof systems.build>>;

  before(async () => {
    fhir = await startFhirServer();
    fhir.token = 'ehr-secret-token';
    for (let i = 1; i <= 12; i += 1) {
      fhir.add(`p${i}`, minute(i - 1), {
        name: [{ family: i % 2 === 0 ? 'Jansen' : 'Peeters', given: [`P${i}`] }],
      });
    }
    dir = mkdtempSync(join(tmpdir(), 'conflux-fhir-'));
    writeFileSync(join(dir, 'conflux.yaml'), 'name: clinic\nenvironment: dev\n');
    imported = await addSystem({ projectRoot: dir, name: 'ehr', from: capability, baseUrl: fhir.base });
    // The system file as an operator finishes it: bearer auth from the vault.
    const file = join(dir, 'systems', 'ehr.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}auth: { type: bearer, secret: ehr-token }\n`);
    mkdirSync(join(dir, 'flows'));
    writeFileSync(
      join(dir, 'flows', 'sync-patients.yaml'),
      `name: sync-patients
description: Incremental sync of changed patients through a _lastUpdated cursor
triggers:
  - type: poll
    system: ehr
    operation: searchPatient
    every: 200ms
    input: '{ "_lastUpdated": cursor ? "gt" & cursor, "_sort": "_lastUpdated", "_count": 5 }'
    items: body.entry.resource
    cursor: meta.lastUpdated
steps:
  - { id: patient, type: map, expression: '{ "id": trigger.id, "family": trigger.name[0].family }' }
output: steps.patient
`,
    );
    const loaded = await loadProject(dir);
    assert.deepEqual(loaded.problems, []);
    project = loaded.project as Project;
    runtime = await systems.build(project);
  });

  after(async () => {
    await systems.close();
    await fhir.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a CapabilityStatement imports as a FHIR system: operations per interaction, warnings by pointer', () => {
    assert.equal(imported.kind, 'fhir');
    assert.match(readFileSync(imported.systemFile, 'utf8'), /^fhir: \.\.\/specs\/ehr\.fhir\.json$/m);
    assert.deepEqual([...imported.operations].sort(), [
      'createPatient',
      'readObservation',
      'readPatient',
      'searchObservation',
      'searchPatient',
      'updatePatient',
    ]);
    assert.deepEqual(
      imported.warnings.map((warning) => warning.pointer),
      [
        '/rest/0/interaction/0',
        '/rest/0/operation/0',
        '/rest/0/resource/0/interaction/1',
        '/rest/0/resource/0/interaction/5',
      ],
    );
    const search = runtime.descriptions.get('ehr')?.operations.get('searchPatient');
    assert.deepEqual(search?.pagination, {
      style: 'next-url',
      nextUrl: 'link[relation=next].url',
      items: 'entry',
    });
    assert.ok(search?.parameters.some((parameter) => parameter.name === '_lastUpdated'));
    assert.ok(search?.parameters.some((parameter) => parameter.name === 'family'));
  });

  test('read: the resource as JSON, asked for as application/fhir+json with the bearer token', async () => {
    const answer = await runtime.caller.call('ehr', 'readPatient', { id: 'p3' }, { correlationId: 'r1' });
    assert.equal(answer.status, 200);
    assert.equal((answer.body as { id: string }).id, 'p3');
    assert.equal(fhir.requests.at(-1)?.accept, 'application/fhir+json');
  });

  test('search: Bundle pages are followed through link[relation=next] to the last one', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of runtime.caller.pages(
      'ehr',
      'searchPatient',
      { family: 'Jan', _count: 2 },
      { correlationId: 's1' },
    )) {
      pages += 1;
      const bundle = page.body as { type: string; entry: { resource: { id: string } }[] };
      assert.equal(bundle.type, 'searchset');
      seen.push(...bundle.entry.map((entry) => entry.resource.id));
    }
    assert.deepEqual(seen, ['p2', 'p4', 'p6', 'p8', 'p10', 'p12']);
    assert.equal(pages, 3);
    const followed = fhir.requests.filter((request) => request.url.includes('_getpagesoffset'));
    assert.deepEqual(
      followed.map((request) => new URL(request.url, fhir.origin).searchParams.get('_getpagesoffset')),
      ['2', '4'],
    );
  });

  test('a misspelt search parameter is refused before it goes out', async () => {
    const error = await rejectsWith(
      runtime.caller.call('ehr', 'searchPatient', { famly: 'Jansen' }, { correlationId: 's2' }),
      'SYSTEM_REQUEST_INVALID',
    );
    assert.match(error.message, /famly/);
  });

  test('create: sent as application/fhir+json, answered 201 with the stored resource', async () => {
    const answer = await runtime.caller.call(
      'ehr',
      'createPatient',
      {
        body: {
          resourceType: 'Patient',
          identifier: [{ system: 'urn:oid:2.16.840.1.113883.2.4.6.3', value: '999911120' }],
          name: [{ family: 'Vermeulen', given: ['Lotte'] }],
        },
      },
      { correlationId: 'c1' },
    );
    assert.equal(answer.status, 201);
    assert.equal(fhir.requests.at(-1)?.contentType, 'application/fhir+json');
    const created = answer.body as { id: string; meta: { lastUpdated: string } };
    assert.equal(fhir.patients.get(created.id)?.name?.[0]?.family, 'Vermeulen');
    fhir.patients.delete(created.id);
  });

  test('OperationOutcome errors become typed errors with their issues', async () => {
    const missing = await rejectsWith(
      runtime.caller.call('ehr', 'readPatient', { id: 'nobody' }, { correlationId: 'e1' }),
      'SYSTEM_FHIR_NOT_FOUND',
    );
    assert.equal(missing.details.status, 404);
    assert.equal(missing.details.retryable, false);
    assert.match(missing.message, /not-found: Resource Patient\/nobody is not known/);

    const invalid = await rejectsWith(
      runtime.caller.call(
        'ehr',
        'createPatient',
        { body: { resourceType: 'Patient', gender: 'female' } },
        { correlationId: 'e2' },
      ),
      'SYSTEM_FHIR_INVALID',
    );
    assert.deepEqual(invalid.details.issues, [
      {
        severity: 'error',
        code: 'required',
        diagnostics: 'Patient.name: minimum required = 1, but only found 0',
        expression: ['Patient.name'],
      },
    ]);

    const body = {
      resourceType: 'Patient',
      identifier: [{ system: 'urn:x', value: 'dup-1' }],
      name: [{ family: 'Dubois' }],
    };
    await runtime.caller.call('ehr', 'createPatient', { body }, { correlationId: 'e3' });
    const duplicate = await rejectsWith(
      runtime.caller.call('ehr', 'createPatient', { body }, { correlationId: 'e4' }),
      'SYSTEM_FHIR_CONFLICT',
    );
    assert.equal(duplicate.details.status, 409);
    for (const [id, patient] of fhir.patients)
      if (patient.name?.[0]?.family === 'Dubois') fhir.patients.delete(id);

    fhir.failNext();
    const failed = await rejectsWith(
      runtime.caller.call('ehr', 'readPatient', { id: 'p1' }, { correlationId: 'e5' }),
      'SYSTEM_CALL_FAILED',
    );
    assert.equal(failed.details.retryable, true);
    assert.equal((failed.details.issues as { code: string }[])[0]?.code, 'exception');
  });

  test('a poll trigger syncs changed patients incrementally through the _lastUpdated cursor', async () => {
    const store: Store = await createStore({ sqlitePath: join(dir, 'engine.db') });
    const engine = createEngine({
      store,
      systems: {
        call: (system, operation, input, options) => runtime.caller.call(system, operation, input, options),
        pages: (system, operation, input, options) => runtime.caller.pages(system, operation, input, options),
      },
      redact: (value) => value,
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics(),
      pollIntervalMs: 20,
    });
    const succeeded = async () =>
      (await store.runs.list({ flow: 'sync-patients', status: 'succeeded', limit: 100 })).runs;
    try {
      engine.load(project.flows, project.mappings);
      await engine.start();
      await until(succeeded, (runs) => runs.length === 12, 'the first sync of 12 patients');
      // Two patients change; the next ticks ask only for what changed after the stored cursor.
      fhir.add('p5', minute(30), { name: [{ family: 'Peeters-Maes' }] });
      fhir.add('p13', minute(31), { name: [{ family: 'Claes' }] });
      await until(succeeded, (runs) => runs.length === 14, 'the two changed patients');
      const outputs = (await succeeded()).map((run) => run.output as { id: string; family: string });
      assert.deepEqual(
        outputs
          .filter((output) => output.family === 'Peeters-Maes' || output.family === 'Claes')
          .map((o) => o.id)
          .sort(),
        ['p13', 'p5'],
      );
      const since = fhir.requests
        .map((request) => new URL(request.url, fhir.origin).searchParams.get('_lastUpdated'))
        .filter((value) => value !== null);
      assert.ok(
        since.includes(`gt${minute(11)}`),
        `the cursor after the first sync was sent: ${since.join(' ')}`,
      );
      // The first sync read three pages of five (and followed the next links to get them).
      assert.ok(fhir.requests.some((request) => request.url.includes('_getpagesoffset=10')));
    } finally {
      await engine.stop(1000);
      await store.close();
    }
  });
});
