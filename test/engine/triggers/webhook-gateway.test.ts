import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sign as signGitHub } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { type ConfluxProcess, startConflux, stopConflux } from '../../e2e/harness.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function writeProject(dir: string): void {
  mkdirSync(join(dir, 'flows'), { recursive: true });
  writeFileSync(join(dir, 'conflux.yaml'), 'name: hooks\nshutdown: { timeoutMs: 3000 }\n');
  writeFileSync(
    join(dir, 'flows/github-push.yaml'),
    `name: github-push
triggers:
  - type: webhook
    path: github
    mode: sync
    signature: { scheme: github, secret: hook-secret }
steps:
  - { id: echo, type: map, expression: '{"ref": trigger.body.ref}' }
`,
  );
  writeFileSync(
    join(dir, 'flows/stripe-event.yaml'),
    `name: stripe-event
triggers:
  - type: webhook
    path: stripe
    mode: sync
    signature: { scheme: stripe, secret: hook-secret }
steps:
  - { id: echo, type: map, expression: '{"event": trigger.body.id, "type": trigger.body.type}' }
`,
  );
  writeFileSync(
    join(dir, 'flows/standard-hook.yaml'),
    `name: standard-hook
triggers:
  - type: webhook
    path: standard
    mode: sync
    signature: { scheme: standard, secret: hook-secret, toleranceSeconds: 120 }
steps:
  - { id: ack, type: respond, output: '{"accepted": trigger.body.n}' }
  - { id: later, type: delay, duration: 200ms }
  - { id: done, type: map, expression: '"done"' }
`,
  );
  writeFileSync(
    join(dir, 'flows/approve.yaml'),
    `name: approve
triggers:
  - { type: webhook, path: approve, mode: async }
steps:
  - { id: link, type: map, expression: 'run.callbacks.decision' }
  - { id: decision, type: wait, callback: true, timeout: 1h }
output: '{"approved": steps.decision.payload.approved}'
`,
  );
}

describe('webhook triggers through the real gateway', () => {
  let dir: string;
  let proc: ConfluxProcess;
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${proc.adminUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${proc.adminToken}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'conflux-hooks-'));
    writeProject(dir);
    proc = await startConflux(dir);
    const put = await admin('/api/v1/secrets/hook-secret', {
      method: 'PUT',
      body: JSON.stringify({ value: SECRET }),
    });
    assert.equal(put.status, 204);
  });
  after(async () => {
    await stopConflux(proc);
    rmSync(dir, { recursive: true, force: true });
  });

  test('GitHub-style: a valid X-Hub-Signature-256 runs the flow, a bad one is 401, a replayed delivery 409', async () => {
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    // Signed by GitHub's own library, as GitHub signs deliveries.
    const signature = await signGitHub(SECRET, body);
    const send = (sig: string, delivery: string) =>
      fetch(`${proc.gatewayUrl}/hooks/github`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': sig,
          'x-github-delivery': delivery,
        },
        body,
      });
    const ok = await send(signature, 'delivery-1');
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { ref: 'refs/heads/main' });
    const bad = await send(`sha256=${'0'.repeat(64)}`, 'delivery-2');
    assert.equal(bad.status, 401);
    assert.equal(((await bad.json()) as { code: string }).code, 'ENGINE_WEBHOOK_SIGNATURE_INVALID');
    const replay = await send(signature, 'delivery-1');
    assert.equal(replay.status, 409);
    assert.equal(((await replay.json()) as { code: string }).code, 'ENGINE_WEBHOOK_REPLAYED');
  });

  test("Stripe-style: signed by Stripe's library runs the flow; tampered or stale is 401", async () => {
    const stripe = new Stripe('sk_test_unused');
    const payload = JSON.stringify({ id: 'evt_1', type: 'invoice.paid' });
    const send = (body: string, header: string) =>
      fetch(`${proc.gatewayUrl}/hooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body,
      });
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const ok = await send(payload, header);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { event: 'evt_1', type: 'invoice.paid' });
    const tampered = await send(payload.replace('evt_1', 'evt_2'), header);
    assert.equal(tampered.status, 401);
    assert.equal(((await tampered.json()) as { code: string }).code, 'ENGINE_WEBHOOK_SIGNATURE_INVALID');
    const staleHeader = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    assert.equal((await send(payload, staleHeader)).status, 401);
  });

  test('Standard Webhooks: verified, answered early by respond, replay refused, stale timestamp refused', async () => {
    const body = JSON.stringify({ n: 7 });
    const signer = new Webhook(SECRET);
    const send = (id: string, at: Date) =>
      fetch(`${proc.gatewayUrl}/hooks/standard`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signer.sign(id, at, body),
        },
        body,
      });
    const ok = await send('msg-1', new Date());
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { accepted: 7 });
    assert.equal((await send('msg-1', new Date())).status, 409);
    const stale = await send('msg-2', new Date(Date.now() - 200_000));
    assert.equal(stale.status, 401);
  });

  test('a waiting run is resumed by a POST to its callback URL on the gateway', async () => {
    const started = await fetch(`${proc.gatewayUrl}/hooks/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(started.status, 202);
    const { runId } = (await started.json()) as { runId: string };
    let link: string | undefined;
    for (let i = 0; i < 100 && link === undefined; i += 1) {
      const steps = (await (await admin(`/api/v1/runs/${runId}`)).json()) as {
        steps?: { stepId: string; output: unknown }[];
      };
      link = steps.steps?.find((step) => step.stepId === 'link')?.output as string | undefined;
      if (link === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(link ?? '', /^\/hooks\/_callback\//);
    let status = 0;
    for (let i = 0; i < 100 && status !== 202; i += 1) {
      status = (
        await fetch(`${proc.gatewayUrl}${link}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"approved": true}',
        })
      ).status;
      if (status !== 202) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(status, 202);
    let run: { status: string; output: unknown } | undefined;
    for (let i = 0; i < 100 && run?.status !== 'succeeded'; i += 1) {
      run = (await (await admin(`/api/v1/runs/${runId}`)).json()) as { status: string; output: unknown };
      if (run.status !== 'succeeded') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(run?.output, { approved: true });
    const again = await fetch(`${proc.gatewayUrl}${link}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(again.status, 404);
  });
});
