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

const admin = (path: string, init: { method?: string; body?: unknown } = {}) =>
  fetch(`${conflux.adminUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${conflux.adminToken}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

test('the partner API: the named partner sees it, every call is audited, a public consumer gets 404', async () => {
  const onboarded = await admin('/api/v1/partners', {
    method: 'POST',
    body: { name: 'northwind', apis: ['wholesale'], credentials: ['apiKey'] },
  });
  assert.equal(onboarded.status, 201);
  const partnerKey = ((await onboarded.json()) as { apiKey: { key: string } }).apiKey.key;

  const stock = await fetch(`${conflux.gatewayUrl}/wholesale/stock/SKU-1001`, {
    headers: { 'x-api-key': partnerKey },
  });
  assert.equal(stock.status, 200);
  assert.equal(((await stock.json()) as { sku: string }).sku, 'SKU-1001');

  const hidden = await fetch(`${conflux.gatewayUrl}/wholesale/stock/SKU-1001`, {
    headers: { 'x-api-key': key },
  });
  const unknown = await fetch(`${conflux.gatewayUrl}/wholesale/nothing`, { headers: { 'x-api-key': key } });
  assert.equal(hidden.status, 404);
  const problem = (await hidden.json()) as Record<string, unknown>;
  assert.equal(problem.code, 'GATEWAY_ROUTE_NOT_FOUND');
  assert.equal(problem.policy, undefined, 'the 404 names no policy: it must not reveal the API');
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();

  // The audit sink writes in batches; the partner's call shows up within a few seconds.
  const correlationId = stock.headers.get('x-request-id');
  let audited: { actor: string; status: number; correlationId: string }[] = [];
  for (let i = 0; i < 50 && audited.length === 0; i++) {
    const page = (await (
      await admin('/api/v1/audit?action=gateway.partner-call&actor=northwind&limit=50')
    ).json()) as { items: { actor: string; status: number; correlationId: string }[] };
    audited = page.items.filter((item) => item.correlationId === correlationId);
    if (audited.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(audited.length, 1, 'the partner call left an audit record');
  assert.equal(audited[0]?.status, 200);
});

test('the public API: self-service registration on the starter plan, RateLimit headers, 429 past the plan', async () => {
  const registered = await fetch(`${conflux.gatewayUrl}/catalog/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ application: 'Price Watch', email: 'dev@pricewatch.example' }),
  });
  assert.equal(registered.status, 201);
  const registration = (await registered.json()) as { consumer: string; plan: string; key: string };
  assert.equal(registration.plan, 'starter');
  assert.match(registration.consumer, /^price-watch-[0-9a-f]{8}$/);

  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < 6; i++) {
    last = await fetch(`${conflux.gatewayUrl}/catalog/products`, {
      headers: { 'x-api-key': registration.key },
    });
    statuses.push(last.status);
    assert.equal(last.headers.get('ratelimit-policy'), '"minute";q=5;w=60');
    assert.match(last.headers.get('ratelimit') ?? '', /^"minute";r=\d;t=\d+$/);
    if (i < 5) await last.body?.cancel();
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
  assert.ok(Number(last?.headers.get('retry-after')) >= 1);
  const refused = (await last?.json()) as Record<string, unknown>;
  assert.equal(refused.code, 'GATEWAY_RATE_LIMITED');
  assert.equal(refused.policy, 'rate-limit');

  // The key is for this API only.
  const elsewhere = await fetch(`${conflux.gatewayUrl}/v1/products`, {
    headers: { 'x-api-key': registration.key },
  });
  assert.equal(elsewhere.status, 404);
  await elsewhere.body?.cancel();
});

test('the composite endpoint merges shop and ERP, and marks a partial answer when the ERP call fails', async () => {
  const whole = await fetch(`${conflux.gatewayUrl}/catalog/products/SKU-1001/availability`, {
    headers: { 'x-api-key': key },
  });
  assert.equal(whole.status, 200);
  assert.deepEqual(await whole.json(), {
    id: 'SKU-1001',
    name: 'Espresso cups (set of 4)',
    price: { amount: 2400, currency: 'EUR' },
    available: 42,
    warehouse: 'AMS-1',
  });

  // The ERP refuses SKUs outside its pattern; the shop knows the gift card.
  const partial = await fetch(`${conflux.gatewayUrl}/catalog/products/GIFT-CARD/availability`, {
    headers: { 'x-api-key': key },
  });
  assert.equal(partial.status, 200);
  const body = (await partial.json()) as {
    id: string;
    name: string;
    available?: number;
    partial: boolean;
    errors: { call: string; code: string }[];
  };
  assert.equal(body.id, 'GIFT-CARD');
  assert.equal(body.name, 'Espresso cups (set of 4)');
  assert.equal(body.available, undefined);
  assert.equal(body.partial, true);
  assert.deepEqual(
    body.errors.map((error) => error.call),
    ['stock'],
  );
});

test('a reload through the admin API runs the demo conformance specs before applying', async () => {
  const reloaded = await admin('/api/v1/project/reload', { method: 'POST' });
  assert.equal(reloaded.status, 200);
  const status = (await reloaded.json()) as {
    outcome: string;
    conformance: { passed: number; failed: number };
  };
  assert.equal(status.outcome, 'applied');
  assert.equal(status.conformance.failed, 0);
  assert.ok(status.conformance.passed >= 8, `ran ${status.conformance.passed} cases`);
});
