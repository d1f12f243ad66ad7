import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createBrokerClients } from '../adapters/index.ts';
import { ConfluxError } from '../errors/index.ts';
import type { Logger, Metrics } from '../observability/index.ts';
import type { Project, ProjectProblem } from '../project/index.ts';
import {
  type ConnectionEvent,
  type ConnectionHealth,
  type Credentials,
  createConnectionHealth,
  createCredentialWatch,
  createDriftRecorder,
  createLocalTokenLock,
  createMemoryBudgetBackend,
  createSystemCaller,
  createTokenManager,
  createUpstreamBudgets,
  loadSystemDescription,
  type OperationDrift,
  resolveCredentials,
  type SystemBudget,
  type SystemCaller,
  type SystemDescription,
  startMockServer,
  type TokenLock,
  type TokenVault,
  type UpstreamBudgets,
} from '../systems/index.ts';

interface RunningMock {
  readonly contentHash: string;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The systems of one project generation: their descriptions, where each lives (mocks are
 * started here, on loopback ports), and the caller the engine uses. A reload builds a new
 * runtime but keeps mock servers whose description did not change, so their state survives.
 */
export interface SystemsRuntime {
  readonly descriptions: ReadonlyMap<string, SystemDescription>;
  readonly baseUrls: ReadonlyMap<string, string>;
  readonly caller: SystemCaller & {
    subscribe: NonNullable<SystemCaller['subscribe']>;
    pages: NonNullable<SystemCaller['pages']>;
    close(): Promise<void>;
  };
  /** A system's upstream budget (gateway proxy routes take their place in it like every call). */
  budget(system: string): SystemBudget | undefined;
  /** Headers/query that authenticate to a system, OAuth tokens included (gateway proxy routes). */
  credentials(system: string): Promise<Credentials>;
}

export interface SystemsRuntimeManager {
  build(project: Project): Promise<SystemsRuntime>;
  /** Credential health of the systems called so far (ok, expiring, invalid). */
  health(): ConnectionHealth[];
  /** One system's credential health (`unknown` until it is called). */
  healthOf(system: string): ConnectionHealth;
  /** Looks at invalid connections now (a secret was just set): rotated credentials resume their flows. */
  checkCredentials(): Promise<void>;
  /** Drift of a system's answers from its description, per operation (responseValidation warn|fail). */
  drift(system: string): OperationDrift[];
  /** Problems the project loader cannot see: operations that a route or step names but the description lacks. */
  checkOperations(project: Project): Promise<ProjectProblem[]>;
  close(): Promise<void>;
}

export function createSystemsRuntimeManager(deps: {
  logger: Logger;
  metrics: Metrics;
  resolveSecret(name: string): Promise<string>;
  /** Where OAuth tokens are kept (the vault); without it OAuth systems cannot be called. */
  tokenVault?: TokenVault;
  /** Single-flight of token refreshes across workers (Redis); default: this process only. */
  tokenLock?: TokenLock;
  /** Credentials of a system became invalid or recovered. */
  onConnectionEvent?: (event: ConnectionEvent) => void;
  /** Each system's rate and concurrency budget, shared across processes; default: this process only. */
  budgets?: UpstreamBudgets;
}): SystemsRuntimeManager {
  const budgets =
    deps.budgets ??
    createUpstreamBudgets({
      backend: createMemoryBudgetBackend(),
      metrics: deps.metrics,
      logger: deps.logger,
    });
  const health = createConnectionHealth({
    onEvent: (event) => {
      // The fingerprint of the refused credentials is taken now, so a rotation is noticed later.
      if (event.type === 'system.connection.invalid') void watch.invalidated();
      deps.onConnectionEvent?.(event);
    },
  });
  const tokens =
    deps.tokenVault === undefined
      ? undefined
      : createTokenManager({
          vault: deps.tokenVault,
          lock: deps.tokenLock ?? createLocalTokenLock(),
          health,
          logger: deps.logger,
        });
  const brokers = createBrokerClients({
    clientIdPrefix: 'conflux',
    onError: (error) => deps.logger.warn({ err: error }, 'broker message not handled; left for redelivery'),
  });
  let systemsNow: Project['systems'] = new Map();
  const watch = createCredentialWatch({
    health,
    systems: () => systemsNow,
    resolveSecret: deps.resolveSecret,
    ...(tokens === undefined ? {} : { tokens }),
    ...(deps.tokenVault === undefined ? {} : { vault: deps.tokenVault }),
    logger: deps.logger,
  });
  const drift = createDriftRecorder();
  const mocks = new Map<string, RunningMock>();
  const descriptionCache = new Map<string, { hash: string; description: SystemDescription }>();
  const callers: (SystemCaller & { close(): Promise<void> })[] = [];

  async function describe(file: string): Promise<{ hash: string; description: SystemDescription }> {
    const hash = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
    const cached = descriptionCache.get(file);
    if (cached !== undefined && cached.hash === hash) return cached;
    const entry = { hash, description: await loadSystemDescription(file) };
    descriptionCache.set(file, entry);
    return entry;
  }

  async function describeAll(
    project: Project,
  ): Promise<Map<string, { hash: string; description: SystemDescription }>> {
    const out = new Map<string, { hash: string; description: SystemDescription }>();
    for (const system of project.systems.values())
      out.set(system.name, await describe(system.descriptionFile));
    return out;
  }

  return {
    async build(project) {
      const described = await describeAll(project);
      systemsNow = project.systems;
      watch.start();
      const baseUrls = new Map<string, string>();
      for (const system of project.systems.values()) {
        const entry = described.get(system.name);
        if (entry === undefined) continue;
        if (system.baseUrl !== 'mock') {
          baseUrls.set(system.name, system.baseUrl);
          continue;
        }
        let mock = mocks.get(system.name);
        if (mock !== undefined && mock.contentHash !== entry.hash) {
          await mock.close();
          mock = undefined;
        }
        if (mock === undefined) {
          const server = await startMockServer(entry.description, {
            host: '127.0.0.1',
            port: 0,
            logger: deps.logger,
          });
          mock = { contentHash: entry.hash, url: server.url, close: () => server.close() };
          mocks.set(system.name, mock);
          deps.logger.info({ system: system.name, url: server.url }, 'mock system started');
        }
        baseUrls.set(system.name, mock.url);
      }
      for (const [name, mock] of mocks) {
        if (!project.systems.has(name) || project.systems.get(name)?.baseUrl !== 'mock') {
          mocks.delete(name);
          await mock.close();
        }
      }
      const descriptions = new Map([...described].map(([name, entry]) => [name, entry.description]));
      const called = withoutMockAuth(project.systems);
      const caller = createSystemCaller({
        systems: called,
        descriptions,
        baseUrls,
        resolveSecret: deps.resolveSecret,
        logger: deps.logger,
        metrics: deps.metrics,
        health,
        brokers,
        drift,
        budgets,
        ...(tokens === undefined ? {} : { tokens }),
      });
      callers.push(caller);
      // Older callers stay open until close(): runs that started on them may still be calling.
      const credentials = (name: string): Promise<Credentials> => {
        const system = called.get(name);
        if (system === undefined)
          return Promise.reject(new ConfluxError('SYSTEM_NOT_FOUND', `No system named ${name}.`));
        return resolveCredentials(system.auth, deps.resolveSecret, {
          system: name,
          ...(tokens === undefined ? {} : { tokens }),
        });
      };
      const budget = (name: string) => {
        const system = project.systems.get(name);
        return system === undefined ? undefined : budgets.forSystem(system);
      };
      return { descriptions, baseUrls, caller, budget, credentials };
    },

    async checkOperations(project) {
      const problems: ProjectProblem[] = [];
      let described: Map<string, { description: SystemDescription }>;
      try {
        described = await describeAll(project);
      } catch (error) {
        const failure = error instanceof ConfluxError ? error : undefined;
        const system = [...project.systems.values()].find((s) =>
          failure?.message.includes(s.descriptionFile),
        );
        const source = system?.source ?? { file: 'conflux.yaml', line: 1, column: 1 };
        return [{ ...source, rule: 'description', message: failure?.message ?? String(error) }];
      }
      const check = (system: string, operation: string, source: ProjectProblem) => {
        const description = described.get(system)?.description;
        if (description === undefined || description.operations.has(operation)) return;
        const known = [...description.operations.keys()];
        problems.push({
          ...source,
          rule: 'reference',
          message: `operation "${operation}" does not exist on system "${system}"`,
          found: operation,
          expected: `one of ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`,
        });
      };
      for (const api of project.apis.values()) {
        for (const route of api.routes) {
          if (route.target.kind === 'operation' || route.target.kind === 'mock') {
            check(route.target.system, route.target.operation, { ...route.source, rule: '', message: '' });
          }
          if (route.target.kind === 'composite') {
            for (const call of route.target.calls)
              check(call.system, call.operation, { ...route.source, rule: '', message: '' });
          }
        }
      }
      for (const flow of project.flows.values()) {
        for (const step of flow.steps) {
          if (step.type === 'call')
            check(step.system, step.operation, { ...step.source, rule: '', message: '' });
        }
      }
      return problems;
    },

    health: () => health.list(),
    healthOf: (system) => health.get(system),
    checkCredentials: () => watch.check(),
    drift: (system) => drift.report(system),

    async close() {
      await watch.stop();
      await Promise.all(callers.map((caller) => caller.close()));
      await brokers.close();
      await Promise.all([...mocks.values()].map((mock) => mock.close()));
      mocks.clear();
    },
  };
}

/**
 * A system switched to its mock (`baseUrl: mock` in this environment) is called without
 * credentials: the mock checks none, and the real system's secrets need not exist in dev.
 */
function withoutMockAuth(systems: Project['systems']): Project['systems'] {
  return new Map(
    [...systems].map(([name, system]) => [
      name,
      system.baseUrl === 'mock' ? { ...system, auth: { type: 'none' as const } } : system,
    ]),
  );
}
