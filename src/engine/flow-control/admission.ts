import type { RunRecord, Store } from '../../store/index.ts';
import type { CompiledFlow } from '../compile-flow.ts';
import { controlKey } from './compile-control.ts';

// A run refused for concurrency looks again this soon (or earlier, when a slot holder finishes
// in this process and wakes the worker).
const CONCURRENCY_RECHECK_MS = 250;
// Throttled starts are placed at most this many periods ahead.
const MAX_THROTTLE_WINDOWS = 10_000;
// A singleton slot is kept this long before its run exists in the store.
const SINGLETON_GRACE_MS = 10_000;

export interface StartDecision {
  /** The active run that a singleton trigger joins instead of starting a new one. */
  readonly existing?: string;
  readonly availableAt?: number;
  readonly priority?: number;
}

/** The claim priority a trigger gives its run: an integer (0 when the expression says no number). */
export async function priorityOf(flow: CompiledFlow, input: unknown): Promise<number | undefined> {
  if (flow.control.priority === undefined) return undefined;
  const value = Number(await flow.control.priority.evaluate({ trigger: input }));
  return Number.isFinite(value) ? Math.trunc(value) : 0;
}

/**
 * Decides, when a run is started, its priority, its place in the throttle (the first period
 * with room, reserved atomically in the store) and whether a singleton joins an active run.
 */
export async function decideStart(
  store: Store,
  flow: CompiledFlow,
  runId: string,
  input: unknown,
): Promise<StartDecision> {
  const { control } = flow;
  const name = flow.definition.name;
  const now = Date.now();
  const priority = await priorityOf(flow, input);
  if (control.singleton !== undefined) {
    const key = `single:${name}:${await controlKey(control.singleton.key, input)}`;
    if (!(await store.engine.acquireSlot(key, runId, 1, 'active', now, now + SINGLETON_GRACE_MS))) {
      const [holder] = await store.engine.slotHolders(key, 'active', now);
      if (holder !== undefined) return { existing: holder };
    }
  }
  let availableAt: number | undefined;
  if (control.throttle !== undefined) {
    const { limit, periodMs } = control.throttle;
    const key = `throttle:${name}:${await controlKey(control.throttle.key, input)}`;
    for (let window = 0; window < MAX_THROTTLE_WINDOWS; window += 1) {
      const at = now + window * periodMs;
      if ((await store.engine.takeRate(key, limit, periodMs, at)) === undefined) {
        if (window > 0) availableAt = Math.floor(at / periodMs) * periodMs;
        break;
      }
    }
  }
  return {
    ...(priority === undefined ? {} : { priority }),
    ...(availableAt === undefined ? {} : { availableAt }),
  };
}

/**
 * Admits a claimed run under its flow's concurrency limit: a slot per key, held while the run
 * executes under a live lease (a crashed worker's slot frees itself when its lease expires).
 * Returns the release, or the time to look again.
 */
export async function admitRun(
  store: Store,
  flow: CompiledFlow,
  run: RunRecord,
): Promise<{ readonly release: () => Promise<void> } | { readonly retryAt: number }> {
  const limit = flow.control.concurrency;
  if (limit === undefined) return { release: async () => {} };
  const key = `conc:${run.flow}:${await controlKey(limit.key, run.input)}`;
  if (await store.engine.acquireSlot(key, run.id, limit.limit, 'running', Date.now())) {
    return { release: () => store.engine.releaseSlot(key, run.id) };
  }
  return { retryAt: Date.now() + CONCURRENCY_RECHECK_MS };
}
