import { randomBytes } from 'node:crypto';
import { createEngine, createWebhookVerifier } from '../engine/index.ts';
import {
  CircuitBreakers,
  type ConformanceReport,
  type ConformanceTarget,
  createGateway,
  createPolicyRuntime,
  runConformanceSpecs,
  UpstreamPools,
} from '../gateway/index.ts';
import { createApiKeyService, createConsumerDirectory } from '../identity/index.ts';
import type { Logger, Metrics } from '../observability/index.ts';
import type { FlowDefinition, Project } from '../project/index.ts';
import type { Redactor, Vault } from '../secrets/index.ts';
import { createStore } from '../store/index.ts';
import type { TokenLock } from '../systems/index.ts';
import type { Core } from './core.ts';
import { createFlowRunner } from './flow-runner.ts';
import { compileProjectGateway, type GatewayParts } from './gateway-compiler.ts';
import { createMockOrigins } from './gateway-wiring.ts';
import { createSystemsRuntimeManager } from './systems-runtime.ts';

export interface ReloadCheckDeps {
  readonly logger: Logger;
  /** A registry of the check's own: nothing it counts mixes with the serving gateway's. */
  readonly metrics: Metrics;
  /** Read for system credentials and webhook secrets; OAuth tokens of systems may be refreshed. */
  readonly vault: Vault;
  readonly redactor: Redactor;
  readonly tokenLock: TokenLock;
  /** The running authorization server: its issuer and keys are only read. */
  readonly oauth: GatewayParts['oauth'];
}

const CLOSE_TIMEOUT_MS = 2_000;

/**
 * Runs a changed project's conformance specs (`specs/*.spec.yaml`) before the change may
 * replace the serving configuration. The candidate is compiled into a gateway of its own,
 * served on an ephemeral loopback port that only the spec runner knows, with parts of its own:
 * an in-memory store (the keys the specs issue, quotas, audit, the runs of flow routes), a
 * systems runtime whose mock systems start fresh, and fresh limits, breakers and cache. So the
 * specs see exactly what `conflux test --gateway` sees, and the serving gateway's state
 * (limits, quotas, keys, mocks) is neither read nor changed. Flows keep their webhook triggers
 * only: a check must not fire schedules or consume broker messages. Everything is closed
 * before this returns. No specs: an empty report, nothing started.
 */
export function checkCandidate(project: Project, deps: ReloadCheckDeps): Promise<ConformanceReport> {
  return runConformanceSpecs(project.root, { start: () => startCandidate(project, deps) });
}

async function startCandidate(project: Project, deps: ReloadCheckDeps): Promise<ConformanceTarget> {
  const { logger, metrics } = deps;
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) {
      await closer().catch((error: unknown) =>
        logger.warn({ err: error }, 'reload check: a candidate part did not close'),
      );
    }
  };
  try {
    const store = await createStore({ sqlitePath: ':memory:' });
    closers.push(() => store.close());
    const consumers = createConsumerDirectory({ store });
    const keys = createApiKeyService({
      store,
      pepper: randomBytes(32),
      environment: project.settings.environment,
      consumers,
    });
    const core: Core = {
      logger,
      store,
      vault: deps.vault,
      redactor: deps.redactor,
      keys,
      consumers,
      callbackSecret: randomBytes(32).toString('hex'),
      close: () => store.close(),
    };
    const systems = createSystemsRuntimeManager({
      logger,
      metrics,
      resolveSecret: (name) => deps.vault.get(name),
      tokenVault: deps.vault,
      tokenLock: deps.tokenLock,
    });
    closers.push(() => systems.close());
    const runtime = await systems.build(project);
    const engine = createEngine({
      store,
      systems: runtime.caller,
      redact: (value) => deps.redactor.redact(value),
      logger,
      metrics,
    });
    engine.load(webhookTriggersOnly(project.flows), project.mappings);
    await engine.start();
    closers.push(() => engine.stop(CLOSE_TIMEOUT_MS));
    const pools = new UpstreamPools();
    closers.push(() => pools.close());
    const mocks = createMockOrigins();
    closers.push(() => mocks.close());
    const policies = createPolicyRuntime({ logger, metrics, quotas: store.quotas });
    closers.push(() => policies.close());
    const config = compileProjectGateway(project, runtime, {
      core,
      flows: createFlowRunner(engine),
      pools,
      mocks,
      breakers: new CircuitBreakers(),
      policies,
      oauth: deps.oauth,
      verifyWebhook: createWebhookVerifier({
        store,
        secret: (name) => deps.vault.get(name).catch(() => undefined),
      }),
    });
    const gateway = createGateway({ logger, metrics, ready: () => Promise.resolve(true) });
    gateway.apply(config);
    const address = await gateway.listen('127.0.0.1', 0);
    closers.push(() => gateway.drain(CLOSE_TIMEOUT_MS));
    return {
      gatewayUrl: `http://127.0.0.1:${address.port}`,
      issueKey: async (consumer, scopes) =>
        (await keys.create({ consumer, name: consumer, scopes: [...scopes], expiresAt: null })).key,
      stop: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function webhookTriggersOnly(
  flows: ReadonlyMap<string, FlowDefinition>,
): ReadonlyMap<string, FlowDefinition> {
  return new Map(
    [...flows].map(([name, flow]) => [
      name,
      { ...flow, triggers: flow.triggers.filter((trigger) => trigger.type === 'webhook') },
    ]),
  );
}
