import {
  type CircuitBreakers,
  type CompileDependencies,
  compileGateway,
  type FlowRunner,
  type GatewayConfig,
  type PolicyRuntime,
  type UpstreamPools,
} from '../gateway/index.ts';
import type { OAuthServer } from '../identity/index.ts';
import type { Project } from '../project/index.ts';
import type { Core } from './core.ts';
import { consumerTypeFromScopes, type MockOrigins, operationCallerFor } from './gateway-wiring.ts';
import { consumerFactsFrom } from './identity-wiring.ts';
import { createSelfRegistration } from './self-registration.ts';
import type { SystemsRuntime } from './systems-runtime.ts';
import { createUpstreamDirectory } from './upstream-directory.ts';

export const GATEWAY_LIMITS = { maxBodyBytes: 1_048_576, flowTimeoutMs: 30_000 } as const;

/**
 * What a gateway configuration is compiled against besides the project and its systems: the
 * serving gateway gets the process's own parts; the reload check (reload-check.ts) gets parts
 * of its own, so the specs it runs touch nothing the serving gateway uses.
 */
export interface GatewayParts {
  /** Keys, consumers and plans (the store), the vault for webhook secrets. */
  readonly core: Core;
  readonly flows: FlowRunner;
  readonly pools: UpstreamPools;
  readonly mocks: MockOrigins;
  readonly breakers: CircuitBreakers;
  readonly policies: PolicyRuntime;
  readonly oauth: Pick<OAuthServer, 'issuer' | 'jwks' | 'isRevoked' | 'signIdentity'>;
  readonly verifyWebhook: NonNullable<CompileDependencies['verifyWebhook']>;
  readonly deliverCallback?: CompileDependencies['deliverCallback'];
}

/** One immutable gateway configuration of `project`, whose systems `runtime` serves. */
export function compileProjectGateway(
  project: Project,
  runtime: SystemsRuntime,
  parts: GatewayParts,
): GatewayConfig {
  const { core, oauth } = parts;
  return compileGateway(project, {
    keys: core.keys,
    flows: parts.flows,
    upstreams: createUpstreamDirectory(project, runtime),
    pools: parts.pools,
    limits: GATEWAY_LIMITS,
    caller: operationCallerFor(runtime),
    mocks: parts.mocks.directory(project, runtime),
    breakers: parts.breakers,
    consumerType: consumerTypeFromScopes,
    policies: parts.policies,
    verifyWebhook: parts.verifyWebhook,
    ...(parts.deliverCallback === undefined ? {} : { deliverCallback: parts.deliverCallback }),
    oauth,
    consumerFacts: consumerFactsFrom(core),
    signIdentity: (claims) => oauth.signIdentity(claims),
    registration: createSelfRegistration(core),
  });
}
