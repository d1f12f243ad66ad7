import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import type { RunningPlatform } from '../../src/platform/index.ts';
import { admin, call, startProject, startUpstream, writeProject } from './identity-harness.ts';
import { signInAndConsent } from './oauth-browser.ts';

const AUDIENCE = 'urn:conflux:api:orders';
const REDIRECT = 'http://127.0.0.1:9/callback';

/** Polls until `check` holds; bounded (the revocation cache bound is 2 s). */
async function eventually(check: () => Promise<boolean>, attempts = 40): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

/**
 * Revocation (RFC 7009) and introspection (RFC 7662) of refresh tokens and JWT access tokens,
 * driven by openid-client; the gateway refuses what was revoked.
 */
describe('OAuth token revocation and introspection with openid-client', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let issuer: URL;

  before(async () => {
    upstream = await startUpstream((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    project = writeProject({
      'apis/orders.yaml': [
        'name: orders',
        'basePath: /orders',
        'visibility: public',
        'auth: { type: oauth2, scopes: [orders:read] }',
        'routes:',
        `  - { method: GET, path: /, url: '${upstream.url}/' }`,
        '',
      ].join('\n'),
    });
    platform = await startProject(project.dir);
    issuer = new URL(`${platform.adminUrl}/oauth`);
    for (const name of ['revoker', 'other']) {
      const created = await admin(platform, 'POST', '/api/v1/consumers', {
        name,
        type: 'public',
        scopes: ['orders:read'],
      });
      assert.equal(created.status, 201, created.text);
    }
    const user = await admin(platform, 'POST', '/api/v1/oauth/users', {
      username: 'bob',
      password: 'bob-has-a-long-password',
    });
    assert.equal(user.status, 201, user.text);
  });

  after(async () => {
    await platform?.stop();
    await upstream?.close();
    project?.remove();
  });

  async function register(consumer: string, grantTypes: string[]): Promise<client.Configuration> {
    const created = await admin(platform, 'POST', '/api/v1/oauth/clients', {
      consumer,
      name: consumer,
      grantTypes,
      redirectUris: grantTypes.includes('authorization_code') ? [REDIRECT] : [],
      scopes: ['orders:read'],
      audiences: [AUDIENCE],
    });
    assert.equal(created.status, 201, created.text);
    return client.discovery(
      issuer,
      created.json.clientId,
      undefined,
      client.ClientSecretBasic(created.json.clientSecret),
      { execute: [client.allowInsecureRequests] },
    );
  }

  const gateway = (token: string) =>
    call(platform.gatewayUrl, 'GET', '/orders', { headers: { authorization: `Bearer ${token}` } });

  // Bob signs in and consents through the login and consent pages (authorization code + PKCE).
  const bobSignsIn = (config: Awaited<ReturnType<typeof register>>) =>
    signInAndConsent(config, {
      issuer,
      redirectUri: REDIRECT,
      scope: 'orders:read',
      resource: AUDIENCE,
      username: 'bob',
      password: 'bob-has-a-long-password',
    });

  test('a live JWT access token introspects active with scope, client_id and exp', async () => {
    const config = await register('revoker', ['client_credentials']);
    const tokens = await client.clientCredentialsGrant(config, { scope: 'orders:read', resource: AUDIENCE });
    const answer = await client.tokenIntrospection(config, tokens.access_token);
    const claims = decodeJwt(tokens.access_token);
    assert.equal(answer.active, true);
    assert.equal(answer.scope, 'orders:read');
    assert.equal(answer.client_id, config.clientMetadata().client_id);
    assert.equal(answer.exp, claims.exp);
    assert.equal(answer.aud, AUDIENCE);
    assert.equal(answer.iss, issuer.href);
    assert.equal(answer.token_type, 'Bearer');
    assert.equal((await gateway(tokens.access_token)).status, 200);
  });

  test('revoking a JWT access token (RFC 7009): the gateway refuses it and introspection says inactive', async () => {
    const config = await register('revoker', ['client_credentials']);
    const tokens = await client.clientCredentialsGrant(config, { scope: 'orders:read', resource: AUDIENCE });
    const sibling = await client.clientCredentialsGrant(config, { scope: 'orders:read', resource: AUDIENCE });
    assert.equal((await gateway(tokens.access_token)).status, 200);
    await client.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' });
    assert.ok(await eventually(async () => (await gateway(tokens.access_token)).status === 401));
    const refused = await gateway(tokens.access_token);
    assert.equal(refused.json<{ code: string }>().code, 'AUTH_TOKEN_INVALID');
    assert.doesNotMatch(refused.text, /revoked|reason/, 'the refusal does not say why');
    assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, false);
    // Only that token: another one of the same client still works.
    assert.equal((await gateway(sibling.access_token)).status, 200);
    assert.equal((await client.tokenIntrospection(config, sibling.access_token)).active, true);
  });

  test("another client can neither introspect nor revoke a client's token", async () => {
    const owner = await register('revoker', ['client_credentials']);
    const stranger = await register('other', ['client_credentials']);
    const tokens = await client.clientCredentialsGrant(owner, { scope: 'orders:read', resource: AUDIENCE });
    assert.equal((await client.tokenIntrospection(stranger, tokens.access_token)).active, false);
    await client.tokenRevocation(stranger, tokens.access_token);
    assert.equal((await client.tokenIntrospection(owner, tokens.access_token)).active, true);
    assert.equal((await gateway(tokens.access_token)).status, 200);
  });

  test('revoking the refresh token revokes its grant: its access tokens are refused too', async () => {
    const config = await register('revoker', ['authorization_code', 'refresh_token']);
    const tokens = await bobSignsIn(config);
    const refresh = tokens.refresh_token as string;
    assert.ok(refresh);
    assert.equal((await gateway(tokens.access_token)).status, 200);
    const live = await client.tokenIntrospection(config, refresh);
    assert.equal(live.active, true);
    assert.equal(live.client_id, config.clientMetadata().client_id);
    assert.equal(live.sub, 'bob');
    assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, true);

    await client.tokenRevocation(config, refresh, { token_type_hint: 'refresh_token' });
    assert.equal((await client.tokenIntrospection(config, refresh)).active, false);
    assert.ok(await eventually(async () => (await gateway(tokens.access_token)).status === 401));
    assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, false);
    await assert.rejects(client.refreshTokenGrant(config, refresh));
  });

  test('a replayed refresh token revokes the family, access tokens already issued included', async () => {
    const config = await register('revoker', ['authorization_code', 'refresh_token']);
    const tokens = await bobSignsIn(config);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    assert.equal((await gateway(refreshed.access_token)).status, 200);
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token as string));
    assert.ok(await eventually(async () => (await gateway(refreshed.access_token)).status === 401));
    assert.equal((await gateway(tokens.access_token)).status, 401);
    assert.equal((await client.tokenIntrospection(config, refreshed.access_token)).active, false);
  });

  test("a disabled consumer's tokens introspect inactive and are refused", async () => {
    const created = await admin(platform, 'POST', '/api/v1/consumers', {
      name: 'short-lived',
      type: 'public',
      scopes: ['orders:read'],
    });
    assert.equal(created.status, 201, created.text);
    const config = await register('short-lived', ['client_credentials']);
    const tokens = await client.clientCredentialsGrant(config, { scope: 'orders:read', resource: AUDIENCE });
    assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, true);
    assert.equal(
      (await admin(platform, 'PATCH', '/api/v1/consumers/short-lived', { disabled: true })).status,
      200,
    );
    assert.equal((await gateway(tokens.access_token)).status, 401);
    // Introspection authenticates the client, which a disabled consumer's client no longer can.
    await assert.rejects(client.tokenIntrospection(config, tokens.access_token));
  });
});
