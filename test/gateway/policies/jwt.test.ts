import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { RunningPlatform } from '../../../src/platform/index.ts';
import { call, startProject, startUpstream, writeProject } from '../harness.ts';

const vectors = JSON.parse(
  readFileSync(new URL('../../../../shared/vectors/jose-oauth-vectors.json', import.meta.url), 'utf8'),
) as {
  rfc7515_appendix_A1_hs256: { compact: string };
  wycheproof_json_web_signature: { groups: { tests: { jws: string; result: string; comment: string }[] }[] };
};

const ISSUER = 'https://issuer.example';
const AUDIENCE = 'urn:conflux:api:ledger';
const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('JWT policy: crafted and standard tokens against a remote JWKS', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let jwksServer: Awaited<ReturnType<typeof startUpstream>>;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let publicJwk: JWK;
  let jwksFetches = 0;
  const forwarded: (string | undefined)[] = [];

  before(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwksServer = await startUpstream((_req, res) => {
      jwksFetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    upstream = await startUpstream((req, res) => {
      forwarded.push(req.headers.authorization);
      res.end('ok');
    });
    project = writeProject({
      'apis/ledger.yaml': [
        'name: ledger',
        'basePath: /ledger',
        'visibility: public',
        'auth:',
        '  type: jwt',
        `  issuer: ${ISSUER}`,
        `  jwksUri: ${jwksServer.url}/jwks`,
        '  algorithms: [ES256]',
        '  scopes: [ledger:read]',
        'routes:',
        `  - { method: GET, path: /entries, url: '${upstream.url}/' }`,
        '',
      ].join('\n'),
    });
    platform = await startProject(project.dir);
  });

  after(async () => {
    await platform?.stop();
    await upstream?.close();
    await jwksServer?.close();
    project?.remove();
  });

  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT({
      iss: ISSUER,
      aud: AUDIENCE,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 300,
      consumer: 'ledger-app',
      scope: 'ledger:read',
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', ...header })
      .sign(privateKey);
  const get = (token: string) =>
    call(platform.gatewayUrl, 'GET', '/ledger/entries', { headers: { authorization: `Bearer ${token}` } });

  test('a valid token passes, and the upstream never sees it', async () => {
    const answer = await get(await sign({}));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(forwarded.at(-1), undefined);
  });

  test('crafted tokens are each refused with 401', async () => {
    const valid = await sign({});
    const [h, p] = valid.split('.');
    const payload = JSON.parse(Buffer.from(p as string, 'base64url').toString()) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    const hs256WithPublicKey = (() => {
      // Algorithm confusion: HS256 keyed with the public key's JSON, the classic RS/HS attack.
      const head = b64({ alg: 'HS256', kid: 'k1' });
      const body = b64(payload);
      const mac = createHmac('sha256', JSON.stringify(publicJwk))
        .update(`${head}.${body}`)
        .digest('base64url');
      return `${head}.${body}.${mac}`;
    })();
    const crafted: Record<string, string> = {
      'alg none': `${b64({ alg: 'none' })}.${b64(payload)}.`,
      'HS256 signed with the public key': hs256WithPublicKey,
      'wrong issuer': await sign({ iss: 'https://evil.example' }),
      'wrong audience': await sign({ aud: 'urn:conflux:api:other' }),
      expired: await sign({ exp: now - 3600, iat: now - 7200 }),
      'future nbf': await sign({ nbf: now + 3600 }),
      'unknown kid': await sign({}, { kid: 'k-unknown' }),
      'tampered payload': `${h}.${b64({ ...payload, scope: 'ledger:read ledger:admin' })}.${valid.split('.')[2]}`,
      'RFC 7515 A.1 HS256 example': vectors.rfc7515_appendix_A1_hs256.compact,
    };
    for (const [name, token] of Object.entries(crafted)) {
      const answer = await get(token);
      assert.equal(answer.status, 401, `${name}: ${answer.text}`);
      assert.equal((JSON.parse(answer.text) as { code: string }).code, 'AUTH_TOKEN_INVALID', name);
    }
  });

  test('Wycheproof JWS cases are refused: HS* is never an accepted algorithm', async () => {
    let count = 0;
    for (const group of vectors.wycheproof_json_web_signature.groups) {
      for (const vector of group.tests) {
        const answer = await call(platform.gatewayUrl, 'GET', '/ledger/entries', {
          headers: { authorization: `Bearer ${vector.jws}` },
        });
        assert.equal(answer.status, 401, `${vector.comment}`);
        count++;
      }
    }
    assert.ok(count > 0);
  });

  test('a token without the required scope gets 403; no token gets 401', async () => {
    const answer = await get(await sign({ scope: 'other' }));
    assert.equal(answer.status, 403);
    assert.equal((await call(platform.gatewayUrl, 'GET', '/ledger/entries')).status, 401);
  });

  test('the remote JWKS is cached, not fetched per request', async () => {
    const before = jwksFetches;
    for (let i = 0; i < 5; i++) assert.equal((await get(await sign({}))).status, 200);
    assert.equal(jwksFetches, before);
  });
});
