import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAdminServer } from '../admin/index.ts';
import {
  createEngine,
  createRetentionPruner,
  createWebhookVerifier,
  type Engine,
  INVALID_CREDENTIALS_PARK_MS,
} from '../engine/index.ts';
import { ConfluxError } from '../errors/index.ts';
import {
  CircuitBreakers,
  createGateway,
  createPolicyRuntime,
  type GatewayConfig,
  RouteStats,
  TraceRing,
  UpstreamPools,
} from '../gateway/index.ts';
import { createAdminAuth } from '../identity/index.ts';
import {
  createLogger,
  createMetrics,
  createTracer,
  type Logger,
  type Metrics,
} from '../observability/index.ts';
import { type LoadProjectResult, loadProject, type Project, type ProjectProblem } from '../project/index.ts';
import { createConnectionPauses, createLocalTokenLock, createRedisTokenLock } from '../systems/index.ts';
import { createStoreAuditSink } from './audit-sink.ts';
import { checkExpressions } from './check-expressions.ts';
import { createConnectionEventHandler } from './connection-events.ts';
import { type Core, openCore, stateDirectory } from './core.ts';
import { createFlowOperations } from './flow-operations.ts';
import { createFlowRunner } from './flow-runner.ts';
import { createGatewayAdmin } from './gateway-admin.ts';
import { compileProjectGateway, type GatewayParts } from './gateway-compiler.ts';
import { createMockOrigins } from './gateway-wiring.ts';
import { createIdentityWiring } from './identity-wiring.ts';
import { acquireInstanceLock } from './instance-lock.ts';
import { summarizeProject } from './project-summary.ts';
import { createRedisClient, redisReady } from './redis-client.ts';
import { checkRolesForStore, ROLES, type Role } from './roles.ts';
import { readSettings } from './settings.ts';
import { createSystemsAdmin } from './systems-admin.ts';
import { createSystemsRuntimeManager, type SystemsRuntime } from './systems-runtime.ts';
import { createPlatformBudgets } from './upstream-budgets.ts';

const localTokenLock = createLocalTokenLock();

import { createProjectReloader, type ReloadResult } from './project-reload.ts';
import { checkCandidate } from './reload-check.ts';

export interface PlatformOptions {
  readonly projectRoot: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  /** Overrides the logger (tests capture output). */
  readonly logger?: Logger;
  /** What this process does (roles.ts); default: every role. */
  readonly roles?: ReadonlySet<Role>;
}

export interface RunningPlatform {
  readonly roles: ReadonlySet<Role>;
  /** Empty when this process lacks the gateway role (nothing listens). */
  readonly gatewayUrl: string;
  /** Empty when this process lacks the admin role (nothing listens). */
  readonly adminUrl: string;
  /** Printed once when this start generated the admin token. */
  readonly generatedAdminToken: string | undefined;
  readonly core: Core;
  readonly logger: Logger;
  /**
   * Loads the project again; applies it if valid and its conformance specs pass (project-reload.ts),
   * otherwise keeps the running one.
   */
  reload(): Promise<ReloadResult>;
  /** SIGTERM: stop accepting, drain requests and steps within the deadline, close the store. */
  stop(): Promise<void>;
}

const PRUNE_INTERVAL_MS = 10 * 60_000;

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
  const roles = options.roles ?? new Set(ROLES);
  checkRolesForStore(roles, settings.databaseUrl === undefined);
  const logger = options.logger ?? createLogger({ level: settings.logLevel });
  const metrics = createMetrics();
  const tracer = createTracer({
    otlpEndpoint: settings.otlpTracesEndpoint,
    serviceName: settings.serviceName,
    serviceVersion: options.version,
    sampleRatio: settings.traceSampleRatio,
  });
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
    serving: true,
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
    // Invalid credentials pause the flows using the system and are published for alert flows.
    onConnectionEvent: createConnectionEventHandler({
      logger,
      pauses: createConnectionPauses({
        store: core.store,
        flows: () => project.flows,
        logger,
        parkMs: INVALID_CREDENTIALS_PARK_MS,
      }),
      publish: (event) => engine.publish(event),
    }),
    // Shared through Redis when configured, else PostgreSQL (`redis` is created below).
    budgets: createPlatformBudgets({ store: core.store, redis: () => redis, metrics, logger }),
  });
  let runtime: SystemsRuntime = await systems.build(project);

  const engine: Engine = createEngine({
    store: core.store,
    systems: {
      call: (system, operation, input, callOptions) =>
        runtime.caller.call(system, operation, input, callOptions),
      subscribe: (system, operation, name) => runtime.caller.subscribe(system, operation, name),
      pages: (system, operation, input, callOptions) =>
        runtime.caller.pages(system, operation, input, callOptions),
    },
    redact: (value) => core.redactor.redact(value),
    logger,
    metrics,
    callbackSecret: core.callbackSecret,
    ...(settings.workerConcurrency === undefined ? {} : { concurrency: settings.workerConcurrency }),
    ...(settings.workerLeaseMs === undefined ? {} : { leaseMs: settings.workerLeaseMs }),
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
  // Only a process serving the admin API reads (or generates) the admin token.
  const adminAuth = !roles.has('admin')
    ? { generatedToken: undefined, verify: () => false }
    : createAdminAuth({
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
  const gatewayParts: GatewayParts = {
    core,
    flows,
    pools,
    mocks: mockOrigins,
    breakers,
    policies: policyRuntime,
    oauth: identity.oauth,
    verifyWebhook,
    deliverCallback: (token, payload) => engine.deliverCallback(token, payload),
  };
  const compile = (next: Project, nextRuntime: SystemsRuntime): GatewayConfig =>
    compileProjectGateway(next, nextRuntime, gatewayParts);
  const ready = async (): Promise<boolean> => {
    await core.store.ping();
    return true;
  };
  const audit = createStoreAuditSink(core.store.audit, logger);
  const gateway = createGateway({ logger, metrics, tracer, ready, traces, stats, audit });
  gateway.apply(compile(project, runtime));

  // The reload check counts into a registry of its own, created on the first check: nothing it
  // does shows in the serving gateway's metrics.
  let checkMetrics: Metrics | undefined;
  const reloader = createProjectReloader({
    logger,
    metrics,
    load: () => validateProject(options.projectRoot, (p) => systems.checkOperations(p)),
    check: (next) => {
      checkMetrics ??= createMetrics();
      return checkCandidate(next, {
        // The candidate's access log and mock start-ups are noise; its warnings are not.
        logger: logger.isLevelEnabled('warn')
          ? logger.child({ check: 'reload' }, { level: 'warn' })
          : logger.child({ check: 'reload' }),
        metrics: checkMetrics,
        vault: core.vault,
        redactor: core.redactor,
        tokenLock: {
          acquire: (key, ttlMs) =>
            (redis === undefined ? localTokenLock : createRedisTokenLock(redis)).acquire(key, ttlMs),
        },
        oauth: identity.oauth,
      });
    },
    async apply(next) {
      const nextRuntime = await systems.build(next);
      const config = compile(next, nextRuntime);
      engine.load(next.flows, next.mappings);
      gateway.apply(config);
      project = next;
      runtime = nextRuntime;
    },
  });
  const admin = await createAdminServer(
    {
      logger,
      metrics,
      gateway: createGatewayAdmin({ gateway, stats, traces, runtime: () => runtime, windowSeconds: 60 }),
      keys: core.keys,
      runs: core.store.runs,
      collectedTriggers: (runId) => core.store.flowControl.collected(runId),
      secrets: {
        async set(name, value) {
          await core.vault.set(name, value);
          // A rotated credential of an invalid connection resumes its flows without waiting.
          await systems.checkCredentials();
        },
        list: () => core.vault.list(),
      },
      verifyAdminToken: (token) => adminAuth.verify(token),
      ready,
      project: () => summarizeProject(project, runtime),
      identity: identity.admin,
      systems: createSystemsAdmin({
        project: () => project,
        runtime: () => runtime,
        systems,
        store: core.store,
        redact: (value) => core.redactor.redact(value),
      }),
      reloads: reloader,
      ...createFlowOperations(core.store, () => project.flows),
    },
    options.version,
  );

  // Each role's listener or loop starts only in a process that has the role (roles.ts); the
  // parts above are built in every process, since routes queue runs and the admin API lists
  // the gateway's configuration whichever process serves them.
  const gatewayAddress = roles.has('gateway')
    ? await gateway.listen(
        settings.gatewayHost ?? project.settings.gateway.host,
        settings.gatewayPort ?? project.settings.gateway.port,
      )
    : undefined;
  const adminAddress = roles.has('admin')
    ? await admin.listen({
        host: settings.adminHost ?? project.settings.admin.host,
        port: settings.adminPort ?? project.settings.admin.port,
      })
    : undefined;
  // The authorization server's issuer names the admin listener's real port (docs/identity.md).
  if (adminAddress !== undefined)
    await identity.oauth.start(`${adminAddress.replace('0.0.0.0', '127.0.0.1')}/oauth`);
  if (roles.has('worker')) await engine.start();
  // Retention: finished runs past conflux.yaml's `retention` are pruned on a timer.
  const pruner = createRetentionPruner({
    store: core.store,
    logger,
    policy: () => project.settings.retention,
    intervalMs: PRUNE_INTERVAL_MS,
  });
  if (roles.has('worker')) pruner.start();
  const gatewayUrl =
    gatewayAddress === undefined
      ? undefined
      : `http://${urlHost(gatewayAddress.address)}:${gatewayAddress.port}`;
  logger.info(
    {
      roles: [...roles],
      gateway: gatewayUrl,
      admin: adminAddress,
      project: project.settings.name,
      store: core.store.dialect,
    },
    'conflux started',
  );

  let stopping: Promise<void> | undefined;
  return {
    roles,
    gatewayUrl: gatewayUrl ?? '',
    adminUrl: adminAddress ?? '',
    generatedAdminToken: adminAuth.generatedToken,
    core,
    logger,
    reload: () => reloader.run(),
    stop() {
      stopping ??= (async () => {
        const deadline = project.settings.shutdownTimeoutMs;
        logger.info({ timeoutMs: deadline }, 'shutting down: draining requests and steps');
        pruner.stop();
        await Promise.all([
          gatewayAddress === undefined ? undefined : gateway.drain(deadline),
          roles.has('worker') ? engine.stop(deadline) : undefined,
        ]);
        await admin.close();
        await pools.close();
        await policyRuntime.close();
        redis?.disconnect();
        await mockOrigins.close();
        await audit.flush();
        await tracer.shutdown();
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
