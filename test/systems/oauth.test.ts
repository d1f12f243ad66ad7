import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { ConfluxError } from '../../src/errors/index.ts';
import { createLogger, createMetrics } from '../../src/observability/index.ts';
import type { SystemAuth, SystemDefinition } from '../../src/project/index.ts';
import { createVault, type Vault } from '../../src/secrets/index.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import {
  type ConnectionEvent,
  createConnectionHealth,
  createLocalTokenLock,
  createRedisTokenLock,
  createSystemCaller,
  createTokenManager,
  loadSystemDescription,
  type SystemDescription,
  startConnectFlow,
  type TokenLock,
  tokenSecretNames,
} from '../../src/systems/index.ts';
import { API_DESCRIPTION, createOAuthFixture } from './oauth-fixtures.ts';

const CLIENT_SECRET = `client-secret-${randomBytes(6).toString('hex')}`;

describe('OAuth 2.0 upstreams against a local authorization server', () => {
  const fixture = createOAuthFixture({
    clientId: 'conflux',
    clientSecret: CLIENT_SECRET,
    lifetimeS: 120,
    tokenDelayMs: 50,
  });
  let dir: string;
  let origin: string;
  let description: SystemDescription;
  const stores: Store[] = [];
  const vaults: Vault[] = [];
  let redis: Redis;
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  });
  const events: ConnectionEvent[] = [];
  const health = createConnectionHealth({ onEvent: (event) => events.push(event) });
  let clock = Date.now();
  const now = () => clock;
  const prefix = `conflux:test:${randomBytes(4).toString('hex')}:`;
  const closers: (() => Promise<void>)[] = [];

  /** One "worker": its own store connection and vault over the shared database, its own caller. */
  function worker(index: number, auth: SystemAuth, name: string, lock: TokenLock) {
    const vault = vaults[index] as Vault;
    const system: SystemDefinition = {
      name,
      descriptionFile: join(dir, 'things.yaml'),
      baseUrl: origin,
      auth,
      timeoutMs: 5000,
      retry: { attempts: 1, backoffMs: 1 },
      source: { file: `systems/${name}.yaml`, line: 1, column: 1 },
    };
    const caller = createSystemCaller({
      systems: new Map([[name, system]]),
      descriptions: new Map([[name, description]]),
      baseUrls: new Map([[name, origin]]),
      resolveSecret: (secret) => vault.get(secret),
      logger,
      metrics: createMetrics(),
      tokens: createTokenManager({ vault, lock, health, logger, now }),
      health,
    });
    closers.push(() => caller.close());
    return caller;
  }

  const clientCredentials = (): SystemAuth => ({
    type: 'oauth2ClientCredentials',
    tokenUrl: `${origin}/token`,
    clientId: 'conflux',
    secret: 'things-client-secret',
    scopes: ['things.read'],
    refreshBeforeSeconds: 60,
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'conflux-oauth-'));
    writeFileSync(join(dir, 'things.yaml'), API_DESCRIPTION);
    description = await loadSystemDescription(join(dir, 'things.yaml'));
    origin = await fixture.start();
    const kek = randomBytes(32);
    for (let i = 0; i < 2; i += 1) {
      const store = await createStore({ sqlitePath: join(dir, 'conflux.db') });
      stores.push(store);
      vaults.push(createVault({ store, kek }));
    }
    await vaults[0]?.set('things-client-secret', CLIENT_SECRET);
    redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });

  after(async () => {
    for (const close of closers) await close();
    await Promise.all(stores.map((store) => store.close()));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await fixture.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('client credentials: 20 concurrent calls make exactly one token request', async () => {
    const caller = worker(0, clientCredentials(), 'things', createLocalTokenLock());
    const before = fixture.grants.length;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        caller.call('things', 'listThings', {}, { correlationId: `c${i}` }),
      ),
    );
    assert.ok(answers.every((answer) => answer.status === 200));
    assert.deepEqual(fixture.grants.slice(before), ['client_credentials']);
    assert.equal(health.get('things').state, 'ok');
  });

  test('client credentials across two workers sharing the store and Redis: still one token request', async () => {
    const lock = createRedisTokenLock(redis, prefix);
    const a = worker(0, clientCredentials(), 'shared', lock);
    const b = worker(1, clientCredentials(), 'shared', lock);
    const before = fixture.grants.length;
    const calls = Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? a : b).call('shared', 'listThings', {}, { correlationId: `s${i}` }),
    );
    const answers = await Promise.all(calls);
    assert.ok(answers.every((answer) => answer.status === 200));
    assert.deepEqual(fixture.grants.slice(before), ['client_credentials']);
  });

  test('a token is replaced before it expires, not after', async () => {
    const caller = worker(0, clientCredentials(), 'proactive', createLocalTokenLock());
    const before = fixture.grants.length;
    await caller.call('proactive', 'listThings', {}, { correlationId: 'p1' });
    clock += 30_000; // 90 s left of 120: kept
    await caller.call('proactive', 'listThings', {}, { correlationId: 'p2' });
    assert.equal(fixture.grants.length - before, 1);
    clock += 35_000; // 55 s left, inside the 60 s margin: replaced while still valid
    await caller.call('proactive', 'listThings', {}, { correlationId: 'p3' });
    assert.equal(fixture.grants.length - before, 2);
  });

  test('a 401 triggers one refresh and one retry', async () => {
    const caller = worker(0, clientCredentials(), 'revoked', createLocalTokenLock());
    await caller.call('revoked', 'listThings', {}, { correlationId: 'r1' });
    const grants = fixture.grants.length;
    const calls = fixture.apiCalls.length;
    fixture.revokeAccessTokens();
    const answer = await caller.call('revoked', 'listThings', {}, { correlationId: 'r2' });
    assert.equal(answer.status, 200);
    assert.equal(fixture.grants.length - grants, 1);
    assert.deepEqual(
      fixture.apiCalls.slice(calls).map((call) => call.status),
      [401, 200],
    );
  });

  test('authorization code: connect with PKCE + state, refresh tokens rotated, refusal marks the connection invalid', async () => {
    const auth: SystemAuth = {
      type: 'oauth2AuthorizationCode',
      authorizeUrl: `${origin}/authorize`,
      tokenUrl: `${origin}/token`,
      clientId: 'conflux',
      secret: 'things-client-secret',
      scopes: ['offline_access'],
      refreshBeforeSeconds: 60,
    };
    const vault = vaults[0] as Vault;
    const caller = worker(0, auth, 'onbehalf', createLocalTokenLock());
    await assert.rejects(caller.call('onbehalf', 'listThings', {}, { correlationId: 'o0' }), /not connected/);

    const flow = await startConnectFlow({ system: 'onbehalf', auth, vault, now });
    const url = new URL(flow.authorizeUrl);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok((url.searchParams.get('state') ?? '').length >= 16);
    // The browser: consent is automatic here, the redirect lands on the loopback callback.
    const consent = await fetch(flow.authorizeUrl);
    assert.equal(consent.status, 200);
    await flow.done;
    const names = tokenSecretNames('onbehalf');
    const firstRefresh = await vault.get(names.refresh);

    const grants = fixture.grants.length;
    await caller.call('onbehalf', 'listThings', {}, { correlationId: 'o1' });
    assert.equal(fixture.grants.length, grants, 'the access token from the connect is used');

    clock += 100_000; // inside the refresh margin
    await caller.call('onbehalf', 'listThings', {}, { correlationId: 'o2' });
    assert.deepEqual(fixture.grants.slice(grants), ['refresh_token']);
    const rotated = await vault.get(names.refresh);
    assert.notEqual(rotated, firstRefresh, 'the rotated refresh token replaced the used one');

    const invalidEvents = () =>
      events.filter((event) => event.system === 'onbehalf' && event.type === 'system.connection.invalid')
        .length;
    const invalidBefore = invalidEvents();
    assert.ok(
      events.some((event) => event.system === 'onbehalf' && event.type === 'system.connection.ok'),
      'recovery after connect is an event too',
    );
    fixture.revokeRefreshTokens();
    fixture.revokeAccessTokens();
    await assert.rejects(
      caller.call('onbehalf', 'listThings', {}, { correlationId: 'o3' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfluxError);
        assert.equal(error.code, 'SYSTEM_AUTH_FAILED');
        assert.equal(error.details.invalid, true);
        return true;
      },
    );
    assert.equal(health.get('onbehalf').state, 'invalid');
    assert.equal(invalidEvents() - invalidBefore, 1);
    // Further failing calls do not repeat the event.
    await assert.rejects(caller.call('onbehalf', 'listThings', {}, { correlationId: 'o4' }));
    assert.equal(invalidEvents() - invalidBefore, 1);
  });

  test('tokens and the client secret never reach the logs, and the vault redacts them from run data', async () => {
    const tokens = (await Promise.all(
      ['things', 'shared', 'onbehalf'].map((name) => vaults[0]?.get(tokenSecretNames(name).access)),
    )) as string[];
    const text = logs.join('');
    assert.ok(text.includes('system access token refreshed'), 'the logs were captured');
    for (const secret of [...tokens, CLIENT_SECRET]) assert.equal(text.includes(secret), false);
    assert.doesNotMatch(text, /at-\d+-[0-9a-f]{16}|rt-\d+-[0-9a-f]{16}/);
    const redacted = JSON.stringify(
      vaults[0]?.redactor.redact({ headers: { authorization: `Bearer ${tokens[0]}` } }),
    );
    assert.equal(redacted.includes(tokens[0] as string), false);
  });
});
