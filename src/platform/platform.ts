import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAdminServer } from '../admin/index.ts';
import { createEngine, createRetentionPruner, createWebhookVerifier, type Engine } from '../engine/index.ts';
import { ConfluxError } from '../errors/index.ts';
import {
  CircuitBreakers,
  compileGateway,
  createGateway,
  createPolicyRuntime,
  type GatewayConfig,
  RouteStats,
  TraceRing,
  UpstreamPools,
} from '../gateway/index.ts';
import { createAdminAuth } from '../identity/index.ts';
import { createLogger, createMetrics, type Logger } from '../observability/index.ts';
import { type LoadProjectResult, loadProject, type Project, type ProjectProblem } from '../project/index.ts';
import { createLocalTokenLock, createRedisTokenLock } from '../systems/index.ts';
import { createStoreAuditSink } from './audit-sink.ts';
import { checkExpressions } from './check-expressions.ts';
import { type Core, openCore, stateDirectory } from './core.ts';
import { createFlowOperations } from './flow-operations.ts';
import { createFlowRunner } from './flow-runner.ts';
import { createGatewayAdmin } from './gateway-admin.ts';
import { consumerTypeFromScopes, createMockOrigins, operationCallerFor } from './gateway-wiring.ts';
import { consumerFactsFrom, createIdentityWiring } from './identity-wiring.ts';
import { acquireInstanceLock } from './instance-lock.ts';
import { summarizeProject } from './project-summary.ts';
import { createRedisClient, redisReady } from './redis-client.ts';
import { readSettings } from './settings.ts';
import { createSystemsRuntimeManager, type SystemsRuntime } from './systems-runtime.ts';

const localTokenLock = createLocalTokenLock();

import { createUpstreamDirectory } from './upstream-directory.ts';

export interface PlatformOptions {
  readonly projectRoot: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  /** Overrides the logger (tests capture output). */
  readonly logger?: Logger;
}

export interface RunningPlatform {
  readonly gatewayUrl: string;
  readonly adminUrl: string;
  /** Printed once when this start generated the admin token. */
  readonly generatedAdminToken: string | undefined;
  readonly core: Core;
  readonly logger: Logger;
  /** Loads the project again; applies it if valid, otherwise keeps the running one. */
  reload(): Promise<{ applied: boolean; problems: readonly ProjectProblem[] }>;
  /** SIGTERM: stop accepting, drain requests and steps within the deadline, close the store. */
  stop(): Promise<void>;
}

const PRUNE_INTERVAL_MS = 10 * 60_000;
const LIMITS = { maxBodyBytes: 1_048_576, flowTimeoutMs: 30_000 };

/** Loads and checks a project, including what needs the systems' API descriptions. */
export async function validateProject(
  projectRoot: string,
  checkOperations: (project: Project) => Promise<ProjectProblem[]>,
): Promise<LoadProjectResult> {
  return await loadProject(projectRoot, {
    extraChecks: async (project) => [...checkExpressions(project), ...(await checkOperations(project))],
  });
}

/** The composition root: builds every part from the project and the environment, then listens. */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const settings = readSettings(options.env);
  const logger = options.logger ?? createLogger({ level: settings.logLevel });
  const metrics = createMetrics();
  const state = stateDirectory(options.projectRoot);
  mkdirSync(state, { recursive: true, mode: 0o700 });

  const bootstrapSystems = createSystemsRuntimeManager({
    logger,
    metrics,
    resolveSecret: () => Promise.reject(new Error('unused')),
  });
  const loaded = await validateProject(options.projectRoot, (p) => bootstrapSystems.checkOperations(p));
  await bootstrapSystems.close();
  if (loaded.project === undefined || loaded.problems.length > 0) {
    throw new ConfluxError(
      'PROJECT_INVALID',
      `The project at ${options.projectRoot} has ${loaded.problems.length} problem(s).`,
      {
        details: { problems: loaded.problems },
      },
    );
  }
  let project = loaded.project;

  const lock =
    settings.databaseUrl === undefined ? acquireInstanceLock(join(state, 'instance.lock')) : undefined;
  const core = await openCore({
    projectRoot: options.projectRoot,
    settings,
    environment: project.settings.environment,
    logger,
  });
  if (lock !== undefined) {
    const released = await core.store.runs.releaseAllLeases();
    if (released > 0) logger.warn({ runs: released }, 'resuming runs left by a previous process');
  }
  const resolveSecret = (name: string) => core.vault.get(name);
  const systems = createSystemsRuntimeManager({
    logger,
    metrics,
    resolveSecret,
    tokenVault: core.vault,
    // Token refreshes are single-flight across workers through Redis when it is configured
    // (`redis` is created below; the lock is only used once calls flow).
    tokenLock: {
      acquire: (key, ttlMs) =>
        (redis === undefined ? localTokenLock : createRedisTokenLock(redis)).acquire(key, ttlMs),
    },
    onConnectionEvent: (event) =>
      logger.warn(
        { system: event.system, event: event.type, reason: event.reason },
        'system connection state changed',
      ),
  });
  let runtime: SystemsRuntime = await systems.build(project);

  const engine: Engine = createEngine({
    store: core.store,
    systems: {
      call: (system, operation, input, callOptions) =>
        runtime.caller.call(system, operation, input, callOptions),
      subscribe: (system, operation, name) => runtime.caller.subscribe(system, operation, name),
    },
    redact: (value) => core.redactor.redact(value),
    logger,
    metrics,
  });
  engine.load(project.flows, project.mappings);

  const pools = new UpstreamPools();
  const flows = createFlowRunner(engine);
  const verifyWebhook = createWebhookVerifier({
    store: core.store,
    secret: (name) => core.vault.get(name).catch(() => undefined),
  });
  // Kept across reloads: breaker state, traces and stats outlive one configuration.
  const breakers = new CircuitBreakers();
  const traces = new TraceRing();
  const stats = new RouteStats();
  const mockOrigins = createMockOrigins();
  const redis = settings.redisUrl === undefined ? undefined : createRedisClient(settings.redisUrl, logger);
  if (redis !== undefined && !(await redisReady(redis, 2_000)))
    logger.warn('Redis is not reachable; rate limits and the cache start local (fail-open)');
  const adminAuth = createAdminAuth({
    token: settings.adminToken,
    hashFile: join(state, 'admin-token.sha256'),
  });
  const identity = createIdentityWiring(core, adminAuth, logger);
  const policyRuntime = createPolicyRuntime({
    logger,
    metrics,
    quotas: core.store.quotas,
    ...(redis === undefined ? {} : { redis }),
  });
  const compile = (next: Project, nextRuntime: SystemsRuntime): GatewayConfig =>
    compileGateway(next, {
      keys: core.keys,
      flows,
      upstreams: createUpstreamDirectory(next, nextRuntime),
      pools,
      limits: LIMITS,
      caller: operationCallerFor(nextRuntime),
      mocks: mockOrigins.directory(next, nextRuntime),
      breakers,
      consumerType: consumerTypeFromScopes,
      policies: policyRuntime,
      verifyWebhook,
      deliverCallback: (token, payload) => engine.deliverCallback(token, payload),
      oauth: identity.oauth,
      consumerFacts: consumerFactsFrom(core),
      signIdentity: (claims) => identity.oauth.signIdentity(claims),
    });
  const ready = async (): Promise<boolean> => {
    await core.store.ping();
    return true;
  };
  const audit = createStoreAuditSink(core.store.audit, logger);
  const gateway = createGateway({ logger, metrics, ready, traces, stats, audit });
  gateway.apply(compile(project, runtime));

  const admin = await createAdminServer(
    {
      logger,
      metrics,
      gateway: createGatewayAdmin({ gateway, stats, traces, runtime: () => runtime, windowSeconds: 60 }),
      keys: core.keys,
      runs: core.store.runs,
      secrets: { set: (name, value) => core.vault.set(name, value), list: () => core.vault.list() },
      verifyAdminToken: (token) => adminAuth.verify(token),
      ready,
      project: () => summarizeProject(project, runtime),
      identity: identity.admin,
      ...createFlowOperations(core.store, () => project.flows),
    },
    options.version,
  );

  const gatewayAddress = await gateway.listen(
    settings.gatewayHost ?? project.settings.gateway.host,
    settings.gatewayPort ?? project.settings.gateway.port,
  );
  const adminAddress = await admin.listen({
    host: settings.adminHost ?? project.settings.admin.host,
    port: settings.adminPort ?? project.settings.admin.port,
  });
  // The authorization server's issuer names the admin listener's real port (docs/identity.md).
  await identity.oauth.start(`${adminAddress.replace('0.0.0.0', '127.0.0.1')}/oauth`);
  await engine.start();
  // Retention: finished runs past conflux.yaml's `retention` are pruned on a timer.
  const pruner = createRetentionPruner({
    store: core.store,
    logger,
    policy: () => project.settings.retention,
    intervalMs: PRUNE_INTERVAL_MS,
  });
  pruner.start();
  const gatewayUrl = `http://${urlHost(gatewayAddress.address)}:${gatewayAddress.port}`;
  logger.info(
    { gateway: gatewayUrl, admin: adminAddress, project: project.settings.name, store: core.store.dialect },
    'conflux started',
  );

  let stopping: Promise<void> | undefined;
  return {
    gatewayUrl,
    adminUrl: adminAddress,
    generatedAdminToken: adminAuth.generatedToken,
    core,
    logger,
    async reload() {
      const next = await validateProject(options.projectRoot, (p) => systems.checkOperations(p));
      if (next.project === undefined || next.problems.length > 0) {
        metrics.projectReloads.inc({ outcome: 'rejected' });
        logger.warn(
          { problems: next.problems },
          'project change rejected; still serving the last good version',
        );
        return { applied: false, problems: next.problems };
      }
      try {
        const nextRuntime = await systems.build(next.project);
        const config = compile(next.project, nextRuntime);
        engine.load(next.project.flows, next.project.mappings);
        gateway.apply(config);
        project = next.project;
        runtime = nextRuntime;
      } catch (error) {
        metrics.projectReloads.inc({ outcome: 'rejected' });
        logger.warn({ err: error }, 'project change rejected; still serving the last good version');
        const message = error instanceof Error ? error.message : String(error);
        return {
          applied: false,
          problems: [{ file: 'conflux.yaml', line: 1, column: 1, rule: 'apply', message }],
        };
      }
      metrics.projectReloads.inc({ outcome: 'applied' });
      logger.info({ project: project.settings.name }, 'project reloaded');
      return { applied: true, problems: [] };
    },
    stop() {
      stopping ??= (async () => {
        const deadline = project.settings.shutdownTimeoutMs;
        logger.info({ timeoutMs: deadline }, 'shutting down: draining requests and steps');
        pruner.stop();
        await Promise.all([gateway.drain(deadline), engine.stop(deadline)]);
        await admin.close();
        await pools.close();
        await policyRuntime.close();
        redis?.disconnect();
        await mockOrigins.close();
        await audit.flush();
        await systems.close();
        await core.close();
        lock?.release();
        logger.info('conflux stopped');
      })();
      return stopping;
    },
  };
}

function urlHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}
