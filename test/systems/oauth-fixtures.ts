import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OAuth 2.0 authorization server for tests (client credentials, authorization code with
 * PKCE, refresh tokens rotated on use) and an API that accepts only its live access tokens.
 */
export function createOAuthFixture(options: {
  clientId: string;
  clientSecret: string;
  lifetimeS: number;
  tokenDelayMs?: number;
}) {
  const live = new Set<string>();
  const refreshTokens = new Set<string>();
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const grants: string[] = [];
  const apiCalls: { authorization: string | undefined; status: number }[] = [];
  let serial = 0;
  let lifetimeS = options.lifetimeS;

  const issue = (withRefresh: boolean) => {
    serial += 1;
    const access = `at-${serial}-${randomBytes(8).toString('hex')}`;
    live.add(access);
    const body: Record<string, unknown> = {
      access_token: access,
      token_type: 'Bearer',
      expires_in: lifetimeS,
    };
    if (withRefresh) {
      const refresh = `rt-${serial}-${randomBytes(8).toString('hex')}`;
      refreshTokens.add(refresh);
      body.refresh_token = refresh;
    }
    return body;
  };

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      req.on('end', () => resolve(text));
    });

  const server: Server = createServer(async (req, res): Promise<unknown> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/authorize') {
      const code = randomBytes(8).toString('hex');
      codes.set(code, {
        challenge: url.searchParams.get('code_challenge') ?? '',
        redirectUri: url.searchParams.get('redirect_uri') ?? '',
      });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/token') {
      const form = new URLSearchParams(await read(req));
      const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
      if (req.headers.authorization !== `Basic ${basic}`) return json(401, { error: 'invalid_client' });
      const grant = form.get('grant_type') ?? '';
      grants.push(grant);
      if (options.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, options.tokenDelayMs));
      if (grant === 'client_credentials') return json(200, issue(false));
      if (grant === 'authorization_code') {
        const entry = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (
          entry === undefined ||
          entry.challenge !== challenge ||
          entry.redirectUri !== form.get('redirect_uri')
        )
          return json(400, { error: 'invalid_grant' });
        return json(200, issue(true));
      }
      if (grant === 'refresh_token') {
        const token = form.get('refresh_token') ?? '';
        // Rotation: a refresh token works once.
        if (!refreshTokens.delete(token)) return json(400, { error: 'invalid_grant' });
        return json(200, issue(true));
      }
      return json(400, { error: 'unsupported_grant_type' });
    }
    if (url.pathname.startsWith('/api/')) {
      const token = req.headers.authorization?.replace(/^Bearer /, '');
      const status = token !== undefined && live.has(token) ? 200 : 401;
      apiCalls.push({ authorization: req.headers.authorization, status });
      return json(status, status === 200 ? { items: [{ id: 1 }] } : { error: 'invalid_token' });
    }
    return res.writeHead(404).end();
  });

  return {
    grants,
    apiCalls,
    /** Revokes every access token (a 401 follows for each). */
    revokeAccessTokens: () => live.clear(),
    revokeRefreshTokens: () => refreshTokens.clear(),
    setLifetime: (seconds: number) => {
      lifetimeS = seconds;
    },
    async start(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const API_DESCRIPTION = `openapi: 3.0.3
info: { title: Things, version: '1' }
paths:
  /api/things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: { type: array, items: { type: object, properties: { id: { type: integer } } } }
`;
