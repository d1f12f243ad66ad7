import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as client from 'openid-client';
import type { RunningPlatform } from '../../src/platform/index.ts';
import { admin, call, startProject, startUpstream, writeProject } from './identity-harness.ts';
import { Browser } from './oauth-browser.ts';

const AUDIENCE = 'urn:conflux:api:orders';
const REDIRECT = 'http://127.0.0.1:9/callback';

describe('OAuth 2.0 authorization server driven by openid-client, tokens used at the gateway', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  const seen: Record<string, string | undefined>[] = [];
  let issuer: URL;

  before(async () => {
    upstream = await startUpstream((req, res) => {
      seen.push({
        authorization: req.headers.authorization,
        identity: req.headers['x-conflux-consumer'] as string | undefined,
      });
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    project = writeProject({
      'apis/orders.yaml': [
        'name: orders',
        'basePath: /orders',
        'visibility: public',
        'auth:',
        '  type: oauth2',
        '  scopes: [orders:read]',
        "  routeScopes: { 'POST /': [orders:write] }",
        'routes:',
        `  - { method: GET, path: /, url: '${upstream.url}/' }`,
        `  - { method: POST, path: /, url: '${upstream.url}/' }`,
        '',
      ].join('\n'),
    });
    platform = await startProject(project.dir);
    issuer = new URL(`${platform.adminUrl}/oauth`);
    assert.equal(
      (
        await admin(platform, 'POST', '/api/v1/consumers', {
          name: 'shop-app',
          type: 'public',
          scopes: ['orders:read', 'orders:write'],
        })
      ).status,
      201,
    );
    assert.equal(
      (
        await admin(platform, 'POST', '/api/v1/oauth/users', {
          username: 'alice',
          password: 'correct horse battery',
          displayName: 'Alice',
        })
      ).status,
      201,
    );
  });

  after(async () => {
    await platform?.stop();
    await upstream?.close();
    project?.remove();
  });

  async function register(grantTypes: string[], scopes: string[]) {
    const created = await admin(platform, 'POST', '/api/v1/oauth/clients', {
      consumer: 'shop-app',
      name: 'shop',
      grantTypes,
      redirectUris: grantTypes.includes('authorization_code') ? [REDIRECT] : [],
      scopes,
      audiences: [AUDIENCE],
    });
    assert.equal(created.status, 201, created.text);
    const config = await client.discovery(
      issuer,
      created.json.clientId,
      undefined,
      client.ClientSecretBasic(created.json.clientSecret),
      {
        execute: [client.allowInsecureRequests],
      },
    );
    return {
      config,
      clientId: created.json.clientId as string,
      clientSecret: created.json.clientSecret as string,
    };
  }

  test('discovery states the RFC 9700 choices: code only, S256 only, iss parameter, no implicit', async () => {
    const metadata = (await fetch(`${issuer}/.well-known/openid-configuration`).then((r) =>
      r.json(),
    )) as Record<string, unknown>;
    assert.equal(metadata.issuer, issuer.href);
    assert.deepEqual(metadata.response_types_supported, ['code']);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    assert.ok(!(metadata.grant_types_supported as string[]).includes('implicit'));
    assert.ok(!(metadata.grant_types_supported as string[]).includes('password'));
    assert.ok(metadata.introspection_endpoint);
    assert.ok(metadata.revocation_endpoint);
    const jwks = (await fetch(String(metadata.jwks_uri)).then((r) => r.json())) as {
      keys: Record<string, unknown>[];
    };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]?.d, undefined, 'no private parts published');
  });

  test('client credentials: an at+jwt token with consumer, scope and audience calls the gateway', async () => {
    const { config } = await register(['client_credentials'], ['orders:read']);
    const tokens = await client.clientCredentialsGrant(config, { scope: 'orders:read', resource: AUDIENCE });
    assert.equal(decodeProtectedHeader(tokens.access_token).typ, 'at+jwt');
    const claims = decodeJwt(tokens.access_token);
    assert.equal(claims.aud, AUDIENCE);
    assert.equal(claims.consumer, 'shop-app');
    assert.equal(claims.scope, 'orders:read');
    assert.ok((claims.exp ?? 0) - (claims.iat ?? 0) <= 900, 'short-lived');

    const ok = await call(platform.gatewayUrl, 'GET', '/orders', {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(seen.at(-1)?.authorization, undefined, 'the token is not forwarded upstream');
    const write = await call(platform.gatewayUrl, 'POST', '/orders', {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(write.status, 403, 'route scope orders:write missing');
  });

  test('a client cannot get scopes beyond its registration, nor tokens for another audience', async () => {
    const { config } = await register(['client_credentials'], ['orders:read']);
    // RFC 6749 §3.3: the server may grant less than asked; it never grants an unregistered scope.
    const narrowed = await client
      .clientCredentialsGrant(config, { scope: 'orders:read orders:write', resource: AUDIENCE })
      .catch(() => undefined);
    assert.ok(
      narrowed === undefined || !String(decodeJwt(narrowed.access_token).scope).includes('orders:write'),
    );
    await assert.rejects(
      client.clientCredentialsGrant(config, { scope: 'orders:read', resource: 'urn:conflux:api:other' }),
    );
  });

  test('authorization code + PKCE: login and consent forms, iss in the response, refresh rotation with reuse detection', async () => {
    const { config } = await register(
      ['authorization_code', 'refresh_token'],
      ['orders:read', 'orders:write'],
    );
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'orders:read orders:write',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      resource: AUDIENCE,
    });
    const browser = new Browser();
    let response = await browser.go(url.href);
    assert.equal(response.status, 303);
    const loginUrl = new URL(response.headers.get('location') ?? '', issuer).href;
    const loginPage = await (await browser.go(loginUrl)).text();
    assert.match(loginPage, /Sign in/);
    // A wrong password is refused on the page itself.
    response = await browser.go(loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=login&username=alice&password=wrong-password-123',
    });
    assert.equal(response.status, 401);
    response = await browser.go(loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=login&username=alice&password=correct+horse+battery',
    });
    // Back through the authorization endpoint to the consent prompt.
    for (let hop = 0; hop < 5 && response.status >= 300 && response.status < 400; hop++) {
      const next = new URL(response.headers.get('location') ?? '', issuer).href;
      if (next.startsWith(REDIRECT)) break;
      response = await browser.go(next);
    }
    const consentPage = await response.text();
    assert.match(consentPage, /Allow access/);
    const consentUrl = response.url;
    response = await browser.go(consentUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=consent',
    });
    let callback: string | undefined;
    for (let hop = 0; hop < 5 && response.status >= 300 && response.status < 400; hop++) {
      const next = new URL(response.headers.get('location') ?? '', issuer).href;
      if (next.startsWith(REDIRECT)) {
        callback = next;
        break;
      }
      response = await browser.go(next);
    }
    assert.ok(callback, 'redirected back to the client');
    const params = new URL(callback).searchParams;
    assert.equal(params.get('iss'), issuer.href, 'RFC 9207 iss parameter');
    assert.equal(params.get('state'), state);

    const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = decodeJwt(tokens.access_token);
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.aud, AUDIENCE);
    assert.ok(tokens.refresh_token);
    const ok = await call(platform.gatewayUrl, 'POST', '/orders', {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(ok.status, 200, ok.text);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'refresh tokens rotate');
    assert.equal((await client.tokenIntrospection(config, refreshed.refresh_token as string)).active, true);
    // Replaying the first refresh token revokes the whole family, the new one included.
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token as string));
    assert.equal((await client.tokenIntrospection(config, refreshed.refresh_token as string)).active, false);
    await assert.rejects(client.refreshTokenGrant(config, refreshed.refresh_token as string));
  });

  test('PKCE is required and state-less or unregistered redirects are refused', async () => {
    const { config, clientId } = await register(['authorization_code'], ['orders:read']);
    const noPkce = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'orders:read',
      state: 'x',
      resource: AUDIENCE,
    });
    const refused = await fetch(noPkce, { redirect: 'manual' });
    assert.match(String(refused.headers.get('location')), /error=invalid_request.*PKCE/);
    const noState = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'orders:read',
      resource: AUDIENCE,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    assert.equal((await fetch(noState, { redirect: 'manual' })).status, 400);
    const wrongRedirect = new URL(`${issuer}/auth`);
    for (const [k, v] of Object.entries({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: `${REDIRECT}/other`,
      scope: 'orders:read',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 's',
    })) {
      wrongRedirect.searchParams.set(k, v);
    }
    const answer = await fetch(wrongRedirect, { redirect: 'manual' });
    assert.equal(answer.status, 400, 'no redirect to an unregistered URI');
  });

  test('token endpoint throttles repeated failures', async () => {
    const { clientId } = await register(['client_credentials'], ['orders:read']);
    let throttled = 0;
    for (let attempt = 0; attempt < 15; attempt++) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:wrong`).toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      });
      if (response.status === 429) throttled++;
    }
    assert.ok(throttled > 0);
  });

  test('signing key rotation: old tokens keep working, new ones use the new key', async () => {
    const { config } = await register(['client_credentials'], ['orders:read']);
    const before = await client.clientCredentialsGrant(config, { scope: 'orders:read', resource: AUDIENCE });
    const rotated = await admin(platform, 'POST', '/api/v1/oauth/signing-keys/rotate');
    assert.equal(rotated.status, 200);
    const jwks = (await fetch(`${issuer}/jwks`).then((r) => r.json())) as { keys: { kid: string }[] };
    assert.equal(jwks.keys.length, 2);
    const after = await client.clientCredentialsGrant(config, { scope: 'orders:read', resource: AUDIENCE });
    assert.equal(decodeProtectedHeader(after.access_token).kid, rotated.json.kid);
    for (const token of [before.access_token, after.access_token]) {
      const answer = await call(platform.gatewayUrl, 'GET', '/orders', {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(answer.status, 200);
    }
  });
});
