import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { verifySignature } from '../../../src/engine/index.ts';

interface VerifyCase {
  name: string;
  mutation?: string | null;
  timestamp?: string;
  secret_override?: string;
  msg_id_override?: string;
  payload_override?: string;
  expect: string;
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../../shared/vectors/standard-webhooks-vectors.json', import.meta.url), 'utf8'),
) as {
  verify_defaults: { secret: string; msg_id: string; payload: string };
  verify_cases: VerifyCase[];
};
const standard = { scheme: 'standard' as const, toleranceSeconds: 300 };

/** Applies a case's documented mutation to freshly signed headers. */
function buildCase(c: VerifyCase): { headers: Record<string, string>; body: Buffer; secret: string } {
  const d = vectors.verify_defaults;
  const secret = c.secret_override ?? d.secret;
  const id = c.msg_id_override ?? d.msg_id;
  const payload = c.payload_override ?? d.payload;
  const nowS = Math.floor(Date.now() / 1000);
  const at =
    c.timestamp === 'now - 300 - 1 seconds'
      ? nowS - 301
      : c.timestamp === 'now + 300 + 1 seconds'
        ? nowS + 301
        : nowS;
  const signed = new Webhook(secret).sign(id, new Date(at * 1000), payload);
  const headers: Record<string, string> = {
    'webhook-id': id,
    'webhook-timestamp': String(at),
    'webhook-signature': signed,
  };
  const m = c.mutation ?? '';
  const quoted = /^webhook-signature = "([^"]*)"/.exec(m)?.[1];
  if (m.startsWith('delete header ')) delete headers[m.slice('delete header '.length)];
  else if (m === 'webhook-timestamp = "hello"') headers['webhook-timestamp'] = 'hello';
  else if (m.startsWith('webhook-timestamp = 946684800')) headers['webhook-timestamp'] = '946684800';
  else if (m === 'webhook-signature = first 8 characters of the valid header value')
    headers['webhook-signature'] = signed.slice(0, 8);
  else if (m.startsWith('send Webhook-Id')) {
    return {
      headers: { 'Webhook-Id': id, 'Webhook-Timestamp': String(at), 'Webhook-Signature': signed },
      body: Buffer.from(payload),
      secret,
    };
  } else if (quoted !== undefined) headers['webhook-signature'] = quoted.replace('<valid>', signed);
  else assert.equal(m, '', `unhandled mutation in vector "${c.name}"`);
  return { headers, body: Buffer.from(payload), secret };
}

describe('webhook signatures', () => {
  test('every Standard Webhooks verify vector gives the expected accept/reject', () => {
    assert.equal(vectors.verify_cases.length, 20);
    for (const c of vectors.verify_cases) {
      const { headers, body, secret } = buildCase(c);
      const accept = c.expect.startsWith('accept');
      const run = () => verifySignature(standard, { headers, body }, secret);
      if (accept) assert.equal(run(), headers['webhook-id'] ?? headers['Webhook-Id'], c.name);
      else
        assert.throws(run, (e: { code?: string }) => e.code === 'ENGINE_WEBHOOK_SIGNATURE_INVALID', c.name);
    }
  });

  test('a tolerance shorter than the library window is enforced', () => {
    const secret = vectors.verify_defaults.secret;
    const at = Math.floor(Date.now() / 1000) - 120;
    const signed = new Webhook(secret).sign('m1', new Date(at * 1000), '{}');
    const request = {
      headers: { 'webhook-id': 'm1', 'webhook-timestamp': String(at), 'webhook-signature': signed },
      body: Buffer.from('{}'),
    };
    assert.equal(verifySignature({ scheme: 'standard', toleranceSeconds: 300 }, request, secret), 'm1');
    assert.throws(
      () => verifySignature({ scheme: 'standard', toleranceSeconds: 60 }, request, secret),
      /more than 60 s/,
    );
  });

  test('stripe, github and shopify schemes accept their signatures and refuse tampering', () => {
    const secret = 'whsec_test_secret';
    const body = Buffer.from('{"id":"evt_1","amount":100}');
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    const stripe = { scheme: 'stripe' as const, toleranceSeconds: 300 };
    assert.doesNotThrow(() =>
      verifySignature(
        stripe,
        { headers: { 'stripe-signature': `t=${t},v1=deadbeef,v1=${v1}` }, body },
        secret,
      ),
    );
    assert.throws(() =>
      verifySignature(
        stripe,
        { headers: { 'stripe-signature': `t=${t},v1=${v1}` }, body: Buffer.from('{}') },
        secret,
      ),
    );
    const old = t - 400;
    const oldSig = createHmac('sha256', secret).update(`${old}.${body}`).digest('hex');
    assert.throws(
      () =>
        verifySignature(stripe, { headers: { 'stripe-signature': `t=${old},v1=${oldSig}` }, body }, secret),
      /more than 300 s/,
    );

    const github = { scheme: 'github' as const, toleranceSeconds: 300 };
    const hub = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    assert.equal(
      verifySignature(
        github,
        { headers: { 'X-Hub-Signature-256': hub, 'X-GitHub-Delivery': 'd-1' }, body },
        secret,
      ),
      'd-1',
    );
    assert.throws(() =>
      verifySignature(github, { headers: { 'x-hub-signature-256': hub }, body: Buffer.from('x') }, secret),
    );
    assert.throws(() => verifySignature(github, { headers: {}, body }, secret), /missing/);

    const shopify = { scheme: 'shopify' as const, toleranceSeconds: 300 };
    const mac = createHmac('sha256', secret).update(body).digest('base64');
    assert.equal(
      verifySignature(
        shopify,
        { headers: { 'x-shopify-hmac-sha256': mac, 'x-shopify-webhook-id': 'w-1' }, body },
        secret,
      ),
      'w-1',
    );
    assert.throws(() =>
      verifySignature(
        shopify,
        { headers: { 'x-shopify-hmac-sha256': mac }, body: Buffer.from('{}') },
        'other',
      ),
    );
  });
});
