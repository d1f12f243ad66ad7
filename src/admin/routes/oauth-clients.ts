import type { FastifyInstance } from 'fastify';
import { ROLES } from '../../identity/index.ts';
import type { OAuthClientRecord } from '../../store/index.ts';
import { OAUTH_PREFIX } from '../admin-access.ts';
import { actorOf, type IdentityAdmin } from '../identity-admin.ts';

const clientSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    consumer: { type: 'string' },
    name: { type: 'string' },
    grantTypes: { type: 'array', items: { type: 'string' } },
    redirectUris: { type: 'array', items: { type: 'string' } },
    scopes: { type: 'array', items: { type: 'string' } },
    audiences: { type: 'array', items: { type: 'string' } },
    disabled: { type: 'boolean' },
    createdAt: { type: 'string' },
  },
} as const;
const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64 } },
} as const;

function present(record: OAuthClientRecord): object {
  const { disabledAt, createdAt, ...rest } = record;
  return { ...rest, disabled: disabledAt !== null, createdAt: new Date(createdAt).toISOString() };
}

/**
 * OAuth clients and users of the authorization server, its signing keys, and the server
 * itself: oidc-provider mounted at /oauth on this listener (discovery at
 * /oauth/.well-known/openid-configuration; no admin token there, it has its own client auth).
 */
export function registerOAuthClientRoutes(app: FastifyInstance, identity: IdentityAdmin): void {
  void app.register((scope, _options, done) => {
    // The provider reads its own request bodies; Fastify must leave the stream untouched.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const mount = async (
      request: import('fastify').FastifyRequest,
      reply: import('fastify').FastifyReply,
    ) => {
      reply.hijack();
      try {
        await identity.oauth.handle(request.raw, reply.raw, OAUTH_PREFIX);
      } catch (error) {
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(
            error instanceof Error && 'status' in error ? Number(error.status) || 500 : 500,
            { 'content-type': 'application/json' },
          );
        }
        reply.raw.end(
          JSON.stringify({
            error: 'server_error',
            error_description: 'the authorization server could not answer',
          }),
        );
      }
    };
    scope.all(OAUTH_PREFIX, { schema: { hide: true } }, mount);
    scope.all(`${OAUTH_PREFIX}/*`, { schema: { hide: true } }, mount);
    done();
  });

  app.get(
    '/api/v1/oauth/clients',
    {
      schema: {
        operationId: 'listOAuthClients',
        summary: 'List OAuth clients (never their secrets)',
        tags: ['oauth'],
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: clientSchema } } } },
      },
    },
    async () => ({ items: (await identity.oauth.listClients()).map(present) }),
  );

  app.post<{
    Body: {
      consumer: string;
      name: string;
      grantTypes: OAuthClientRecord['grantTypes'];
      redirectUris?: string[];
      scopes?: string[];
      audiences: string[];
    };
  }>(
    '/api/v1/oauth/clients',
    {
      config: { roles: ROLES.operate, audited: true },
      schema: {
        operationId: 'createOAuthClient',
        summary: 'Register an OAuth client for a consumer; the secret is in this response only',
        tags: ['oauth'],
        body: {
          type: 'object',
          required: ['consumer', 'name', 'grantTypes', 'audiences'],
          additionalProperties: false,
          properties: {
            consumer: { type: 'string', pattern: '^[A-Za-z0-9][\\w.-]{0,127}$' },
            name: { type: 'string', minLength: 1, maxLength: 128 },
            grantTypes: {
              type: 'array',
              minItems: 1,
              uniqueItems: true,
              items: { enum: ['client_credentials', 'authorization_code', 'refresh_token'] },
            },
            redirectUris: { type: 'array', items: { type: 'string', maxLength: 2000 }, maxItems: 20 },
            scopes: { type: 'array', items: { type: 'string', pattern: '^[\\w:.-]{1,64}$' }, maxItems: 128 },
            audiences: { type: 'array', minItems: 1, items: { type: 'string', format: 'uri' }, maxItems: 64 },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              clientId: { type: 'string' },
              clientSecret: { type: 'string' },
              client: clientSchema,
            },
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { record, secret } = await identity.oauth.registerClient({
        consumer: body.consumer,
        name: body.name,
        grantTypes: body.grantTypes,
        redirectUris: body.redirectUris ?? [],
        scopes: body.scopes ?? [],
        audiences: body.audiences,
      });
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'oauth-client.create',
        subject: `oauth-client:${record.id}`,
        correlationId: request.id,
        status: 201,
        after: record,
      });
      return reply.status(201).send({ clientId: record.id, clientSecret: secret, client: present(record) });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/oauth/clients/:id',
    {
      config: { roles: ROLES.operate, audited: true },
      schema: {
        operationId: 'disableOAuthClient',
        summary: 'Disable an OAuth client; its tokens stop at their expiry, new ones are refused',
        tags: ['oauth'],
        params: idParams,
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const before = await identity.oauth.getClient(request.params.id);
      const after = await identity.oauth.disableClient(request.params.id);
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'oauth-client.disable',
        subject: `oauth-client:${before.id}`,
        correlationId: request.id,
        status: 204,
        before,
        after,
      });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/oauth/users',
    {
      config: { roles: ROLES.manage },
      schema: {
        operationId: 'listOAuthUsers',
        summary: 'Users the authorization server signs in (local user store)',
        tags: ['oauth'],
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    username: { type: 'string' },
                    displayName: { type: 'string' },
                    disabled: { type: 'boolean' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async () => ({
      items: (await identity.oauth.listUsers()).map((user) => ({
        username: user.username,
        displayName: user.displayName,
        disabled: user.disabledAt !== null,
      })),
    }),
  );

  app.post<{ Body: { username: string; password: string; displayName?: string } }>(
    '/api/v1/oauth/users',
    {
      config: { roles: ROLES.manage, audited: true },
      schema: {
        operationId: 'createOAuthUser',
        summary: 'Add a user to the local user store (password hashed with scrypt)',
        tags: ['oauth'],
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', pattern: '^[A-Za-z0-9][\\w.@-]{0,127}$' },
            password: { type: 'string', minLength: 12, maxLength: 256 },
            displayName: { type: 'string', maxLength: 200 },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: { username: { type: 'string' }, displayName: { type: 'string' } },
          },
        },
      },
    },
    async (request, reply) => {
      const user = await identity.oauth.createUser({
        username: request.body.username,
        password: request.body.password,
        displayName: request.body.displayName ?? request.body.username,
      });
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'oauth-user.create',
        subject: `user:${user.username}`,
        correlationId: request.id,
        status: 201,
        after: { username: user.username, displayName: user.displayName },
      });
      return reply.status(201).send({ username: user.username, displayName: user.displayName });
    },
  );

  app.post(
    '/api/v1/oauth/signing-keys/rotate',
    {
      config: { roles: ROLES.manage, audited: true },
      schema: {
        operationId: 'rotateOAuthSigningKey',
        summary: 'New token signing key; the old ones stay in the JWKS until their tokens expire',
        tags: ['oauth'],
        response: { 200: { type: 'object', properties: { kid: { type: 'string' } } } },
      },
    },
    async (request) => {
      const rotated = await identity.oauth.rotateSigningKey();
      await identity.audit.recordChange({
        actor: actorOf(request),
        action: 'oauth.signing-key.rotate',
        subject: 'oauth:jwks',
        correlationId: request.id,
        status: 200,
        after: rotated,
      });
      return rotated;
    },
  );
}
