import type { OperationDriftReport, SystemSummary, SystemsAdmin } from '../admin/index.ts';
import type { Project, SystemDefinition } from '../project/index.ts';
import type { Store } from '../store/index.ts';
import type { SystemsRuntime, SystemsRuntimeManager } from './systems-runtime.ts';

/** A base URL as operators may see it: a password in it (amqp://user:pass@host) is masked. */
function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The admin API's view of the systems of the running project generation. */
export function createSystemsAdmin(deps: {
  readonly project: () => Project;
  readonly runtime: () => SystemsRuntime;
  readonly systems: Pick<SystemsRuntimeManager, 'healthOf' | 'drift'>;
  readonly store: Pick<Store, 'connectionPauses'>;
  /** Drift samples are upstream data: redacted like run history. */
  readonly redact: (value: unknown) => unknown;
}): SystemsAdmin {
  const summarize = (system: SystemDefinition): SystemSummary => {
    const description = deps.runtime().descriptions.get(system.name);
    const health = deps.systems.healthOf(system.name);
    return {
      name: system.name,
      ...(system.description === undefined ? {} : { description: system.description }),
      kind: description?.kind ?? 'openapi',
      baseUrl: shownUrl(system.baseUrl),
      auth: system.auth.type,
      operations: description?.operations.size ?? 0,
      health: {
        state: health.state,
        ...(health.reason === undefined ? {} : { reason: health.reason }),
        since: new Date(health.since).toISOString(),
      },
    };
  };
  const drift = (name: string): OperationDriftReport[] | undefined =>
    deps.project().systems.has(name)
      ? (deps.redact(deps.systems.drift(name)) as OperationDriftReport[])
      : undefined;
  return {
    list: () => [...deps.project().systems.values()].map(summarize),
    async get(name) {
      const system = deps.project().systems.get(name);
      if (system === undefined) return undefined;
      const pauses = await deps.store.connectionPauses.list();
      const operations = drift(name) ?? [];
      return {
        ...summarize(system),
        pausedFlows: pauses.filter((pause) => pause.system === name).map((pause) => pause.flow),
        drift: {
          operations: operations.length,
          drifted: operations.filter((operation) => operation.drifted > 0).length,
        },
      };
    },
    drift,
  };
}
