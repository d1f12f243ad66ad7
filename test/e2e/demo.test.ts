import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type ConfluxProcess, copyProject, REPO, startConflux, stopConflux } from './harness.ts';

let project: ReturnType<typeof copyProject>;
let conflux: ConfluxProcess;
let key: string;

before(async () => {
  project = copyProject(join(REPO, 'examples/retail'));
  conflux = await startConflux(project.dir, { args: ['--demo-key'] });
  const match = /demo API key[^\n]*\n\s+(cfx_\S+)/.exec(conflux.output());
  assert.ok(match, `no demo key in the banner:\n${conflux.output()}`);
  key = match[1] as string;
});

after(async () => {
  if (conflux !== undefined) await stopConflux(conflux);
  project?.remove();
});

const order = {
  customer: { email: ' Ada.Lovelace@Example.com ' },
  items: [{ sku: 'sku-1001', quantity: 2, unitPrice: '24.00' }],
};

test('health and readiness answer on both listeners', async () => {
  assert.equal((await fetch(`${conflux.gatewayUrl}/healthz`)).status, 200);
  assert.equal((await fetch(`${conflux.gatewayUrl}/readyz`)).status, 200);
  assert.equal((await fetch(`${conflux.adminUrl}/healthz`)).status, 200);
  assert.equal((await fetch(`${conflux.adminUrl}/readyz`)).status, 200);
});

test('an order through the gateway runs the flow across inventory, payments and the CRM', async () => {
  const response = await fetch(`${conflux.gatewayUrl}/v1/orders`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json', 'x-request-id': 'order-test-1' },
    body: JSON.stringify(order),
  });
  const body = (await response.json()) as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(response.headers.get('x-request-id'), 'order-test-1');
  assert.equal(body.status, 'confirmed');
  assert.equal(body.amount, 4800);
  assert.equal(body.currency, 'EUR');
  assert.equal(body.stockAvailable, 42);
  assert.equal(typeof body.paymentId, 'string');
  assert.equal(typeof body.crmActivityId, 'string');
  assert.match(String(body.orderId), /^ORD-/);

  const runId = response.headers.get('x-conflux-run-id');
  assert.ok(runId);
  const run = (await (
    await fetch(`${conflux.adminUrl}/api/v1/runs/${runId}`, {
      headers: { authorization: `Bearer ${conflux.adminToken}` },
    })
  ).json()) as {
    status: string;
    correlationId: string;
    steps: { stepId: string; status: string; output: unknown }[];
  };
  assert.equal(run.status, 'succeeded');
  assert.equal(run.correlationId, 'order-test-1');
  assert.deepEqual(
    run.steps.map((step) => step.stepId),
    ['order', 'stock', 'reservation', 'payment', 'crm'],
  );
  const normalised = run.steps[0]?.output as { email: string; lines: { sku: string }[] };
  assert.equal(normalised.email, 'ada.lovelace@example.com');
  assert.equal(normalised.lines[0]?.sku, 'SKU-1001');
});

test('a missing or wrong key is 401 problem+json with a stable code, naming the policy', async () => {
  const missing = await fetch(`${conflux.gatewayUrl}/v1/products`);
  assert.equal(missing.status, 401);
  assert.match(missing.headers.get('content-type') ?? '', /application\/problem\+json/);
  const problem = (await missing.json()) as Record<string, unknown>;
  assert.equal(problem.code, 'AUTH_KEY_MISSING');
  assert.equal(problem.policy, 'api-key');
  assert.equal(problem.correlationId, missing.headers.get('x-request-id'));

  const wrong = await fetch(`${conflux.gatewayUrl}/v1/products`, {
    headers: { 'x-api-key': `${key.slice(0, -1)}x` },
  });
  assert.equal(wrong.status, 401);
  assert.equal(((await wrong.json()) as Record<string, unknown>).code, 'AUTH_KEY_INVALID');
});

test('routes proxy to system operations; unknown paths are 404 and wrong methods 405 with Allow', async () => {
  const product = await fetch(`${conflux.gatewayUrl}/v1/products/SKU-1001`, {
    headers: { 'x-api-key': key },
  });
  assert.equal(product.status, 200);
  assert.equal(((await product.json()) as Record<string, unknown>).id, 'SKU-1001');

  const unknown = await fetch(`${conflux.gatewayUrl}/v1/nothing`, { headers: { 'x-api-key': key } });
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as Record<string, unknown>).code, 'GATEWAY_ROUTE_NOT_FOUND');

  const wrongMethod = await fetch(`${conflux.gatewayUrl}/v1/products`, {
    method: 'DELETE',
    headers: { 'x-api-key': key },
  });
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get('allow'), 'GET');
  await wrongMethod.body?.cancel();
});

test('the scheduled trigger places demo orders within 10 seconds of start', async () => {
  const deadline = Date.now() + 12_000;
  let scheduled: unknown[] = [];
  while (Date.now() < deadline && scheduled.length === 0) {
    const page = (await (
      await fetch(`${conflux.adminUrl}/api/v1/runs?flow=place-order&status=succeeded&limit=50`, {
        headers: { authorization: `Bearer ${conflux.adminToken}` },
      })
    ).json()) as { items: { triggerType: string }[] };
    scheduled = page.items.filter((run) => run.triggerType === 'schedule');
    if (scheduled.length === 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.ok(scheduled.length > 0, 'no scheduled run succeeded');
});

test('the admin API requires the admin token and describes itself', async () => {
  const denied = await fetch(`${conflux.adminUrl}/api/v1/runs`);
  assert.equal(denied.status, 401);
  assert.equal(((await denied.json()) as Record<string, unknown>).code, 'AUTH_ADMIN_REQUIRED');
  const doc = (await (await fetch(`${conflux.adminUrl}/api/v1/openapi.json`)).json()) as {
    openapi: string;
    paths: object;
  };
  assert.equal(doc.openapi, '3.1.0');
  assert.ok('/api/v1/runs/{id}' in doc.paths);
});

test('Prometheus metrics count requests by route and runs by flow', async () => {
  const text = await (await fetch(`${conflux.adminUrl}/metrics`)).text();
  assert.match(
    text,
    /conflux_http_requests_total\{listener="gateway",api="store",route="\/v1\/orders",method="POST",status="200"\} \d+/,
  );
  assert.match(text, /conflux_runs_total\{flow="place-order",status="succeeded"\} \d+/);
  assert.match(text, /conflux_http_request_duration_seconds_bucket/);
});
