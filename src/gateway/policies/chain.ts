import { ConfluxError } from '../../errors/index.ts';
import type { ApiDefinition, PolicySettings, RouteDefinition, SourceLocation } from '../../project/index.ts';
import type { Operation } from '../../systems/index.ts';
import type { CompiledRoute, Policy, TargetHandler } from '../config.ts';
import { createCacheWrapper } from './cache/cache-policy.ts';
import { createCors } from './cors.ts';
import { createIpFilterPolicy } from './ip-filter.ts';
import { createQuotaPolicy } from './quota/quota-policy.ts';
import { createRateLimitPolicy } from './rate-limit/rate-limit-policy.ts';
import type { PolicyRuntime } from './runtime.ts';
import { createThreatProtectionPolicy, threatDefaults } from './threat-protection.ts';
import { createTransformWrapper } from './transform/transform-policy.ts';
import { requestSchemas } from './validation/request-schemas.ts';
import { createValidationPolicy } from './validation/validation-policy.ts';

export interface PolicyChain {
  /** Request policies, in the documented order; authentication sits after CORS. */
  readonly policies: readonly Policy[];
  /** Wraps the target with the stages that see the response: cache, then transforms. */
  wrap(target: TargetHandler): TargetHandler;
}

export interface ChainInput {
  readonly api: ApiDefinition;
  readonly route: RouteDefinition;
  /** The authentication policies the API configures (compile.ts builds them). */
  readonly auth: readonly Policy[];
  /** The route's target operation, when it targets one: the source of request validation. */
  readonly operation: Operation | undefined;
  readonly runtime: PolicyRuntime;
}

/**
 * The one place that orders policies (docs/gateway-policies.md):
 *   ip-filter → threat-protection → cors → authentication → rate-limit → quota →
 *   request-validation → [cache → transforms → target]
 * Cheap refusals come first, so a flood from a denied network or an oversized body costs no
 * key lookup; the cache sits after every policy that counts or checks a request. A route's
 * setting of a policy replaces the API's. A route with no policies keeps the bare chain, with
 * no wrapper around its target.
 */
export function buildPolicyChain(input: ChainInput): PolicyChain {
  const { api, route, runtime } = input;
  const settings: PolicySettings = { ...api.policies, ...route.policies };
  const where = `${route.source.file}:${route.source.line}:${route.source.column}`;
  const scope =
    route.policies.rateLimit === undefined ? api.name : `${api.name}|${route.method} ${route.path}`;
  const quotaScope =
    route.policies.quota === undefined ? api.name : `${api.name}|${route.method} ${route.path}`;
  const maxBodyBytes = settings.threatProtection?.maxBodyBytes ?? threatDefaults.maxBodyBytes;
  return configured(where, () => {
    const policies: Policy[] = [];
    if (settings.ipFilter !== undefined) policies.push(createIpFilterPolicy(settings.ipFilter));
    if (settings.threatProtection !== undefined)
      policies.push(createThreatProtectionPolicy(settings.threatProtection));
    if (api.policies.cors !== undefined) policies.push(createCors(api.policies.cors).policy);
    policies.push(...input.auth);
    // Behind authentication the consumer's stored plan may set limits of its own (plan.ts), so
    // the limit policies run there even when the API file sets no tiers.
    const authenticated = api.auth.type !== 'none';
    if (settings.rateLimit !== undefined || authenticated) {
      policies.push(
        createRateLimitPolicy({
          settings: settings.rateLimit ?? {},
          scope,
          limiter: runtime.limiter,
          planOf: runtime.planOf,
        }),
      );
    }
    if (settings.quota !== undefined && runtime.quotas === undefined)
      throw new Error('quotas need the store, and this gateway has none');
    if ((settings.quota !== undefined || authenticated) && runtime.quotas !== undefined) {
      policies.push(
        createQuotaPolicy({
          settings: settings.quota ?? {},
          scope: quotaScope,
          counter: runtime.quotas,
          planOf: runtime.planOf,
        }),
      );
    }
    if (settings.validation !== undefined) {
      policies.push(
        createValidationPolicy({
          schemas: requestSchemas(settings.validation, input.operation),
          maxBodyBytes,
        }),
      );
    }
    const wrappers: ((next: TargetHandler) => TargetHandler)[] = [];
    if (settings.cache !== undefined) {
      wrappers.push(
        createCacheWrapper({
          settings: settings.cache,
          api: api.name,
          store: runtime.cache,
          metrics: runtime.metrics,
        }),
      );
    }
    if (settings.transform !== undefined)
      wrappers.push(createTransformWrapper({ settings: settings.transform, where, maxBodyBytes }));
    return {
      policies,
      wrap: (target) => wrappers.reduceRight((next, wrapper) => wrapper(next), target),
    };
  });
}

/** The routes of an API by path template (and version), for the OPTIONS routes CORS adds. */
export class PreflightPaths {
  private readonly paths = new Map<
    string,
    { route: CompiledRoute; routePath: string; source: SourceLocation; methods: string[] }
  >();

  note(route: CompiledRoute, routePath: string, source: SourceLocation): void {
    const key = `${route.version}|${route.template}`;
    const known = this.paths.get(key);
    if (known === undefined) this.paths.set(key, { route, routePath, source, methods: [route.method] });
    else if (!known.methods.includes(route.method)) known.methods.push(route.method);
  }

  /**
   * One OPTIONS route per path of an API with CORS (a path whose API defines OPTIONS itself
   * keeps it: registering ours there conflicts and is skipped by the caller). Its policies are
   * the network ones, then the preflight answer — before authentication, as browsers send
   * preflights without credentials.
   */
  routes(api: ApiDefinition): { route: CompiledRoute; routePath: string; source: SourceLocation }[] {
    const cors = api.policies.cors;
    if (cors === undefined) return [];
    const where = `${api.source.file}:${api.source.line}:${api.source.column}`;
    return configured(where, () => {
      const network: Policy[] = [];
      if (api.policies.ipFilter !== undefined) network.push(createIpFilterPolicy(api.policies.ipFilter));
      if (api.policies.threatProtection !== undefined)
        network.push(createThreatProtectionPolicy(api.policies.threatProtection));
      const handlers = createCors(cors);
      return [...this.paths.values()]
        .filter((path) => !path.methods.includes('OPTIONS'))
        .map((path) => ({
          route: {
            ...path.route,
            method: 'OPTIONS',
            target: 'cors',
            policies: [...network, handlers.preflight(path.methods)],
            handler: answeredByPolicy,
          },
          routePath: path.routePath,
          source: path.source,
        }));
    });
  }
}

/** The target of a preflight route: the cors policy already answered. */
const answeredByPolicy: TargetHandler = () => Promise.resolve();

/** A setting the schema accepted but the factory cannot build (a bad CIDR or regex) names its file and line. */
function configured<T>(where: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ConfluxError) throw error;
    throw new ConfluxError(
      'PROJECT_INVALID',
      `${where}: a policy cannot be built: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
