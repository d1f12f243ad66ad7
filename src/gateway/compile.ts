import type { JSONWebKeySet, JWTPayload } from 'jose';
import { ConfluxError } from '../errors/index.ts';
import type { ApiKeyService } from '../identity/index.ts';
import type { ApiDefinition, Project, TokenAuth } from '../project/index.ts';
import { registerRoute, versionPrefix } from './compile-routes.ts';
import { type TargetDependencies, targetFor } from './compile-targets.ts';
import type { CompiledRoute, GatewayConfig, Policy, RouteEntry, WebhookEndpoint } from './config.ts';
import type { Consumer, ConsumerType } from './context.ts';
import { HostTable } from './host-table.ts';
import { createOpenApiRoutes } from './openapi/openapi-route.ts';
import { createApiKeyPolicy } from './policies/api-key.ts';
import { buildPolicyChain, PreflightPaths } from './policies/chain.ts';
import { type ConsumerFacts, createJwtPolicy } from './policies/jwt.ts';
import type { PolicyRuntime } from './policies/runtime.ts';
import type { FlowRunner, MockDirectory, OperationCaller, UpstreamDirectory } from './ports.ts';
import { addRegistrationRoute, type SelfRegistration } from './registration/registration-route.ts';
import { CircuitBreakers } from './resilience/circuit-breaker.ts';
import { createCallbackTarget, type DeliverCallback } from './targets/callback.ts';
import { createFlowTarget } from './targets/flow.ts';
import { type WebhookVerify, withWebhookVerification } from './targets/webhook-verify.ts';
import type { UpstreamPools } from './upstream-pools.ts';
import { versionHeaders } from './versioning.ts';
import { createVisibilityPolicy } from './visibility.ts';

export { joinPath } from './compile-routes.ts';

export interface CompileDependencies {
  readonly keys: ApiKeyService;
  readonly flows: FlowRunner;
  readonly upstreams: UpstreamDirectory;
  readonly pools: UpstreamPools;
  readonly limits: { readonly maxBodyBytes: number; readonly flowTimeoutMs: number };
  /** Verifies webhooks whose trigger declares a `signature` (signature, timestamp, replay). */
  readonly verifyWebhook?: WebhookVerify;
  /** Resumes waiting runs at POST /hooks/_callback/<token>. */
  readonly deliverCallback?: DeliverCallback;
  /** Calls system operations for composite routes. */
  readonly caller?: OperationCaller;
  /** Mock servers for mock routes. */
  readonly mocks?: MockDirectory;
  /** Circuit breakers per upstream; pass the same instance to every compile so state survives reloads. */
  readonly breakers?: CircuitBreakers;
  /** The type of a consumer whose credential does not carry one; default: public. */
  readonly consumerType?: (consumer: Consumer) => ConsumerType;
  /** State of rate limits, quotas and the cache; the same instance for every compile (policies/runtime.ts). */
  readonly policies: PolicyRuntime;
  /** The local OAuth authorization server, for `auth: { type: oauth2 }` (issuer known once it listens). */
  readonly oauth?: {
    issuer(): string | undefined;
    jwks(): JSONWebKeySet;
    /** Revoked tokens and grants of the local server (RFC 7009, refresh token reuse). */
    isRevoked?(claims: JWTPayload): Promise<boolean>;
  };
  /** Consumer records for token-authenticated callers (disabled, type, plan, APIs, scopes). */
  readonly consumerFacts?: (name: string) => Promise<ConsumerFacts | undefined>;
  /** Signs the consumer identity header for `forwardIdentity: signed`. */
  readonly signIdentity?: (claims: Record<string, unknown>) => Promise<string>;
  /** Creates consumers for public APIs with `registration` (self-service keys). */
  readonly registration?: SelfRegistration;
}

/** Policies that establish who the consumer is; visibility runs right after the last of them. */
const AUTHENTICATION_POLICIES = new Set(['api-key', 'jwt', 'oauth2', 'oauth']);

/**
 * Builds one immutable gateway configuration from a validated project. Everything that can be
 * decided once (route tables per host, version selection, policy chains, target handlers,
 * response headers of each version) is decided here, not per request.
 */
export function compileGateway(project: Project, deps: CompileDependencies): GatewayConfig {
  const routes = new HostTable<RouteEntry>();
  const targetDeps: TargetDependencies = {
    flows: deps.flows,
    upstreams: deps.upstreams,
    pools: deps.pools,
    breakers: deps.breakers ?? new CircuitBreakers(),
    caller: deps.caller,
    mocks: deps.mocks,
    limits: deps.limits,
  };
  const consumerType = deps.consumerType ?? (() => 'public' as const);
  for (const api of project.apis.values()) {
    const policies = withVisibility(policiesFor(api, deps), createVisibilityPolicy(api, { consumerType }));
    const versions = api.versioning?.versions ?? [undefined];
    const preflights = new PreflightPaths();
    for (const route of api.routes) {
      const operation =
        route.target.kind === 'operation'
          ? deps.upstreams.describe?.(route.target.system, route.target.operation)
          : undefined;
      const chain = buildPolicyChain({ api, route, auth: policies, operation, runtime: deps.policies });
      for (const version of versions) {
        if (version !== undefined && route.versions !== undefined && !route.versions.includes(version.name))
          continue;
        const prefix = versionPrefix(api, version?.name ?? '');
        const template = joinTemplate(prefix, route.path);
        const compiled: CompiledRoute = {
          kind: 'route',
          api: api.name,
          template,
          method: route.method.toUpperCase(),
          version: version?.name ?? '',
          headers: version === undefined ? [] : versionHeaders(version),
          audited: api.visibility === 'partner',
          target:
            route.target.kind === 'operation' || route.target.kind === 'url' ? 'proxy' : route.target.kind,
          policies: chain.policies,
          handler: chain.wrap(targetFor(api, route, template, prefix, targetDeps)),
        };
        registerRoute(routes, api, compiled, route.path, route.source);
        preflights.note(compiled, route.path, route.source);
      }
    }
    for (const preflight of preflights.routes(api)) {
      try {
        registerRoute(routes, api, preflight.route, preflight.routePath, preflight.source);
      } catch (error) {
        // The API defines OPTIONS on this path itself; its route wins.
        if (!(error instanceof ConfluxError)) throw error;
      }
    }
    if (api.registration !== undefined) {
      if (deps.registration === undefined)
        throw new ConfluxError(
          'PROJECT_INVALID',
          `API ${api.name} has a registration, which needs the consumer store this gateway was built without.`,
        );
      addRegistrationRoute(routes, api, api.registration, {
        register: deps.registration,
        runtime: deps.policies,
      });
    }
    for (const doc of createOpenApiRoutes(api, {
      describe: (system, operation) => deps.upstreams.describe?.(system, operation),
    })) {
      try {
        registerRoute(
          routes,
          api,
          { ...doc, policies, audited: api.visibility === 'partner' },
          doc.routePath,
          api.source,
        );
      } catch (error) {
        // Two APIs on one host and base path: the first keeps the document path; every API's
        // document is also on the admin API (GET /api/v1/apis/{name}/openapi.json).
        if (!(error instanceof ConfluxError)) throw error;
      }
    }
  }
  const webhooks = new Map<string, WebhookEndpoint>();
  for (const flow of project.flows.values()) {
    for (const trigger of flow.triggers) {
      if (trigger.type !== 'webhook') continue;
      const handler = createFlowTarget({
        flow: flow.name,
        runner: deps.flows,
        maxBodyBytes: deps.limits.maxBodyBytes,
        timeoutMs: deps.limits.flowTimeoutMs,
        mode: trigger.mode,
        triggerType: 'webhook',
      });
      const path = trigger.path.replace(/^\/+/, '');
      const verified =
        trigger.signature === undefined
          ? handler
          : withWebhookVerification(
              handler,
              path,
              trigger.signature,
              deps.verifyWebhook ?? refuseUnverifiable,
              deps.limits.maxBodyBytes,
            );
      webhooks.set(path, { flow: flow.name, handler: verified });
    }
  }
  if (deps.deliverCallback !== undefined) {
    webhooks.set('_callback/*', {
      flow: '',
      handler: createCallbackTarget(deps.deliverCallback, deps.limits.maxBodyBytes),
    });
  }
  return { routes, webhooks, apis: project.apis };
}

/** Without a verifier a signed webhook cannot be checked, so it is refused rather than trusted. */
const refuseUnverifiable: WebhookVerify = () =>
  Promise.reject(
    new ConfluxError(
      'ENGINE_WEBHOOK_SECRET_MISSING',
      'This webhook requires a signature, but no verifier is configured.',
    ),
  );

/** The chain with the visibility check right after authentication (or first, without any). */
function withVisibility(policies: Policy[], visibility: Policy | undefined): Policy[] {
  if (visibility === undefined) return policies;
  let at = 0;
  policies.forEach((policy, index) => {
    if (AUTHENTICATION_POLICIES.has(policy.name)) at = index + 1;
  });
  return [...policies.slice(0, at), visibility, ...policies.slice(at)];
}

function joinTemplate(prefix: string, path: string): string {
  return `${prefix}/${path}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

function policiesFor(api: ApiDefinition, deps: CompileDependencies): Policy[] {
  const policies: Policy[] = [];
  if (api.auth.type === 'apiKey')
    policies.push(createApiKeyPolicy({ header: api.auth.header, keys: deps.keys }));
  if (api.auth.type === 'oauth2' || api.auth.type === 'jwt') policies.push(jwtPolicyFor(api, api.auth, deps));
  return policies;
}

function jwtPolicyFor(api: ApiDefinition, auth: TokenAuth, deps: CompileDependencies): Policy {
  const apiName = api.name;
  // Route scopes are written against the route's own path; key them by every full template
  // (base path and version prefix) the route is served at.
  const routeScopes: Record<string, readonly string[]> = {};
  for (const [key, scopes] of Object.entries(auth.routeScopes)) {
    const [method = '', path = ''] = key.trim().split(/\s+/, 2);
    for (const version of api.versioning?.versions ?? [undefined]) {
      routeScopes[`${method.toUpperCase()} ${joinTemplate(versionPrefix(api, version?.name ?? ''), path)}`] =
        scopes;
    }
  }
  const local = auth.type === 'oauth2' && auth.jwksUri === undefined;
  if (local && deps.oauth === undefined) {
    throw new ConfluxError(
      'CONFIG_INVALID',
      `API ${apiName} uses auth type oauth2, but no OAuth authorization server is running.`,
    );
  }
  const oauth = deps.oauth;
  const sign = deps.signIdentity;
  const revoked = local ? oauth?.isRevoked?.bind(oauth) : undefined;
  return createJwtPolicy({
    issuer: auth.issuer ?? (() => oauth?.issuer()),
    audience: auth.audience,
    keys:
      local && oauth !== undefined
        ? { kind: 'local', jwks: () => oauth.jwks() }
        : { kind: 'remote', url: auth.jwksUri ?? '' },
    algorithms: auth.algorithms,
    ...(auth.type === 'oauth2' ? { typ: 'at+jwt' } : {}),
    scopes: auth.scopes,
    routeScopes,
    forward:
      auth.forwardIdentity === 'signed' && sign !== undefined
        ? { mode: 'sign', header: 'x-conflux-consumer', sign }
        : { mode: 'strip' },
    ...(deps.consumerFacts === undefined ? {} : { consumers: deps.consumerFacts }),
    ...(revoked === undefined ? {} : { revoked }),
  });
}
