import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../src/observability/index.ts';
import type { RunningPlatform } from '../../src/platform/index.ts';
import type { FlowDefinition } from '../../src/project/index.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import { createConnectionPauses } from '../../src/systems/index.ts';
import { admin, call, startProject, startUpstream, writeProject } from '../identity/identity-harness.ts';
import { until } from './wait-until.ts';

const CRM_OPENAPI = `openapi: 3.0.3
info: { title: CRM, version: '1' }
paths:
  /contacts/{id}:
    get:
      operationId: getContact
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: object, properties: { id: { type: string }, name: { type: string } } } } } }
  /contacts:
    get:
      operationId: listContacts
      responses: { '200': { description: ok } }
`;

describe('connection health: invalid credentials pause the flows using the system', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let acceptedKey = 'key-1';
  const seen: { key: string; status: number }[] = [];

  before(async () => {
    upstream = await startUpstream((req, res) => {
      const key = String(req.headers['x-api-key'] ?? '');
      const status = key === acceptedKey ? 200 : 401;
      seen.push({ key, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { id: 'c1', name: 'Ada' } : { error: 'invalid api key' }));
    });
    project = writeProject({
      'specs/crm.yaml': CRM_OPENAPI,
      'systems/crm.yaml': `name: crm\nopenapi: ../specs/crm.yaml\nbaseUrl: ${upstream.url}\nauth: { type: apiKey, in: header, name: x-api-key, secret: crm-key }\n`,
      'flows/sync-contact.yaml': `name: sync-contact
triggers: [{ type: webhook, path: sync-contact, mode: async }]
retry: { attempts: 5, backoffMs: 10 }
steps:
  - { id: contact, type: call, system: crm, operation: getContact, input: '{ "id": trigger.body.id }' }
output: steps.contact.body
`,
      'flows/connection-alert.yaml': `name: connection-alert
triggers:
  - { type: event, event: system.connection.invalid }
  - { type: event, event: system.connection.ok }
steps:
  - { id: alert, type: map, expression: '{ "event": trigger.event, "system": trigger.key, "state": trigger.data.state }' }
output: steps.alert
`,
    });
    platform = await startProject(project.dir);
    assert.equal((await admin(platform, 'PUT', '/api/v1/secrets/crm-key', { value: 'key-1' })).status, 204);
  });

  after(async () => {
    await platform?.stop();
    await upstream?.close();
    project?.remove();
  });

  const sync = async (id: string): Promise<string> => {
    const answer = await call(platform.gatewayUrl, 'POST', '/hooks/sync-contact', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id }),
    });
    assert.equal(answer.status, 202, answer.text);
    return answer.json<{ runId: string }>().runId;
  };
  const run = (id: string) => platform.core.store.runs.get(id);
  const system = async () => (await admin(platform, 'GET', '/api/v1/systems/crm')).json;

  test('the admin API lists the system with its auth kind and operation count, never its secret', async () => {
    const listed = await admin(platform, 'GET', '/api/v1/systems');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.json.items, [
      {
        name: 'crm',
        kind: 'openapi',
        baseUrl: upstream.url,
        auth: 'apiKey',
        operations: 2,
        health: { state: 'unknown', since: listed.json.items[0].health.since },
      },
    ]);
    assert.doesNotMatch(listed.text, /key-1|crm-key/);
    assert.equal((await admin(platform, 'GET', '/api/v1/systems/nope')).json.code, 'SYSTEM_NOT_FOUND');
  });

  test('a working key makes the connection ok', async () => {
    const id = await sync('c1');
    await until(
      () => run(id),
      (r) => r?.status === 'succeeded',
      'the first run',
    );
    const detail = await system();
    assert.equal(detail.health.state, 'ok');
    assert.deepEqual(detail.pausedFlows, []);
  });

  test('a key refused twice marks the connection invalid, pauses the flow, parks the run and raises an event', async () => {
    acceptedKey = 'key-2'; // the vendor rotated the key; Conflux still sends key-1
    const before = seen.length;
    const parked = await sync('c1');
    const detail = await until(system, (s) => s.pausedFlows.length > 0, 'the flow to pause');
    assert.equal(detail.health.state, 'invalid');
    assert.match(detail.health.reason, /crm\.getContact refused the credentials twice with HTTP 401/);
    assert.deepEqual(detail.pausedFlows, ['sync-contact']);
    const flows = (await admin(platform, 'GET', '/api/v1/flows')).json.items as {
      name: string;
      paused: boolean;
    }[];
    assert.equal(flows.find((flow) => flow.name === 'sync-contact')?.paused, true);
    assert.equal(flows.find((flow) => flow.name === 'connection-alert')?.paused, false);

    const parkedRun = await until(
      () => run(parked),
      (r) => r?.status === 'queued' && r.availableAt > Date.now(),
      'the run to park',
    );
    assert.equal(parkedRun?.error, null, 'no try was spent');
    // One call and one retry with the credentials fetched again: no retries burnt on a certain 401.
    assert.deepEqual(seen.slice(before), [
      { key: 'key-1', status: 401 },
      { key: 'key-1', status: 401 },
    ]);
    const alerts = await until(
      () => platform.core.store.runs.list({ flow: 'connection-alert', status: 'succeeded' }),
      (page) => page.runs.length === 1,
      'the alert flow',
    );
    assert.deepEqual(alerts.runs[0]?.output, {
      event: 'system.connection.invalid',
      system: 'crm',
      state: 'invalid',
    });

    // A new trigger while paused is accepted and queued, not executed.
    const waiting = await sync('c2');
    assert.equal((await run(waiting))?.status, 'queued');
    assert.equal(seen.length, before + 2);
  });

  test('rotating the secret resumes the flow; its parked and queued runs complete', async () => {
    const queued = (await platform.core.store.runs.list({ flow: 'sync-contact', status: 'queued' })).runs;
    assert.equal(queued.length, 2);
    assert.equal((await admin(platform, 'PUT', '/api/v1/secrets/crm-key', { value: 'key-2' })).status, 204);
    for (const waiting of queued)
      await until(
        () => run(waiting.id),
        (r) => r?.status === 'succeeded',
        `run ${waiting.id} after the rotation`,
      );
    const detail = await system();
    assert.equal(detail.health.state, 'ok');
    assert.deepEqual(detail.pausedFlows, []);
    const flows = (await admin(platform, 'GET', '/api/v1/flows')).json.items as {
      name: string;
      paused: boolean;
    }[];
    assert.equal(flows.find((flow) => flow.name === 'sync-contact')?.paused, false);
    const alerts = await until(
      () => platform.core.store.runs.list({ flow: 'connection-alert', status: 'succeeded' }),
      (page) => page.runs.length === 2,
      'the recovery event',
    );
    assert.deepEqual(alerts.runs[0]?.output, {
      event: 'system.connection.ok',
      system: 'crm',
      state: 'unknown',
    });
  });

  test('drift per operation is served by JSON pointer', async () => {
    const drift = await admin(platform, 'GET', '/api/v1/systems/crm/drift');
    assert.equal(drift.status, 200);
    assert.deepEqual(drift.json, { system: 'crm', operations: [] });
  });
});

describe('connection pauses: holds per system, hand-made pauses left alone', () => {
  let dir: string;
  let store: Store;
  const flow = (name: string, system: string): FlowDefinition =>
    ({
      name,
      triggers: [],
      steps: [{ id: 'c', type: 'call', system, operation: 'x', source: { file: 'f', line: 1, column: 1 } }],
      retry: { attempts: 1, backoffMs: 1 },
      version: name,
      source: { file: 'f', line: 1, column: 1 },
    }) as FlowDefinition;
  const nested = {
    ...flow('both', 'erp'),
    steps: [
      { id: 'a', type: 'call', system: 'erp', operation: 'x', source: { file: 'f', line: 1, column: 1 } },
      {
        id: 'loop',
        type: 'foreach',
        items: 'x',
        concurrency: 1,
        steps: [
          { id: 'b', type: 'call', system: 'crm', operation: 'y', source: { file: 'f', line: 1, column: 1 } },
        ],
        source: { file: 'f', line: 1, column: 1 },
      },
    ],
  } as FlowDefinition;
  const flows = new Map([
    ['crm-only', flow('crm-only', 'crm')],
    ['both', nested],
    ['by-hand', flow('by-hand', 'crm')],
  ]);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'conflux-pauses-'));
    store = await createStore({ sqlitePath: join(dir, 'store.db') });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a flow held by two systems resumes when both recovered; a flow paused by hand stays paused', async () => {
    const pauses = createConnectionPauses({
      store,
      flows: () => flows,
      logger: createLogger({ level: 'silent' }),
      parkMs: 15_000,
    });
    assert.equal(await store.flowPauses.pause('by-hand', 'maintenance', 1), true);
    assert.deepEqual((await pauses.pause('crm', 'refused')).sort(), ['both', 'crm-only']);
    assert.deepEqual(await pauses.pause('erp', undefined), ['both']);
    const paused = async () => (await store.flowPauses.list()).map((pause) => pause.flow).sort();
    assert.deepEqual(await paused(), ['both', 'by-hand', 'crm-only']);
    assert.match(
      (await store.flowPauses.list()).find((pause) => pause.flow === 'crm-only')?.reason ?? '',
      /system crm: credentials invalid \(refused\)/,
    );

    assert.deepEqual(await pauses.resume('crm'), ['crm-only']);
    assert.deepEqual(await paused(), ['both', 'by-hand']);
    assert.deepEqual(await pauses.resume('erp'), ['both']);
    assert.deepEqual(await paused(), ['by-hand']);
  });
});
