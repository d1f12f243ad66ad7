import type { FlowAdmin, ReplayRequestBody } from '../admin/index.ts';
import { replayRun, replayRuns } from '../engine/index.ts';
import { ConfluxError } from '../errors/index.ts';
import type { FlowDefinition } from '../project/index.ts';
import type { RunFilter, RunRecord, Store } from '../store/index.ts';

/**
 * The operator's view of flows and dead letters, shared by the admin API and the CLI's offline
 * commands: replay (single and bulk), stored versions, pause and resume, claim-check payloads.
 */
export interface FlowOperations {
  replayRun(runId: string, options: ReplayRequestBody): Promise<RunRecord>;
  replayRuns(
    filter: Omit<RunFilter, 'limit' | 'before'>,
    options: Omit<ReplayRequestBody, 'input'>,
    limit: number,
  ): Promise<{
    replayed: readonly string[];
    skipped: readonly { id: string; code: string; message: string }[];
  }>;
  readonly flows: FlowAdmin;
}

export function createFlowOperations(
  store: Store,
  current: () => ReadonlyMap<string, FlowDefinition>,
): FlowOperations {
  const known = (name: string) => {
    if (current().has(name)) return;
    throw new ConfluxError('ENGINE_FLOW_NOT_FOUND', `No flow named "${name}" is loaded`, {
      details: { flow: name, expected: [...current().keys()] },
    });
  };
  return {
    replayRun: (runId, options) => replayRun(store, runId, options),
    replayRuns: (filter, options, limit) => replayRuns(store, filter, options, limit),
    flows: {
      async list() {
        const paused = new Map((await store.flowPauses.list()).map((pause) => [pause.flow, pause.pausedAt]));
        return [...current().values()].map((flow) => ({
          name: flow.name,
          version: flow.version,
          paused: paused.has(flow.name),
          pausedAt: paused.get(flow.name) ?? null,
        }));
      },
      versions: (flow) => store.flowVersions.list(flow),
      async version(flow, id) {
        const found = await store.flowVersions.get(id);
        return found?.flow === flow ? found : undefined;
      },
      pause(flow, reason) {
        known(flow);
        return store.flowPauses.pause(flow, reason, Date.now());
      },
      // No check: a flow removed while paused can still be resumed (its queued runs then fail).
      resume: (flow) => store.flowPauses.resume(flow),
      async payload(id) {
        const data = await store.payloads.get(id);
        return data === undefined ? undefined : JSON.parse(data);
      },
    },
  };
}
