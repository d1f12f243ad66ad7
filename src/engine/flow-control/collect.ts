import { randomUUID } from 'node:crypto';
import type { RunRecord, Store } from '../../store/index.ts';
import type { CompiledFlow } from '../compile-flow.ts';
import { priorityOf } from './admission.ts';
import { controlKey } from './compile-control.ts';

// A sub-flow's parent waits for the run it started under its own id; a collected trigger would
// land in a shared run, so sub-flow starts are never debounced or batched.
const NOT_COLLECTED = new Set(['subflow']);

export interface Collected {
  readonly run: RunRecord;
  /** This trigger opened the run (it counts as queued). */
  readonly created: boolean;
  /** The run is due now (a batch filled up): wake the worker. */
  readonly due: boolean;
}

/**
 * Debounce and batching: the trigger is stored with the run of its key that is still
 * collecting, or opens a new one; undefined when the flow does neither. A debounce trigger
 * supersedes the earlier ones and pushes the run's start to the end of a new quiet period
 * (never beyond `maxWait` after the first); a batch trigger adds an item and makes the run due
 * when it is full. Either way the trigger is durable before this resolves.
 */
export async function collectTrigger(
  store: Store,
  flow: CompiledFlow,
  input: unknown,
  options: { readonly triggerType: string; readonly correlationId: string; readonly id?: string },
): Promise<Collected | undefined> {
  const { debounce, batch } = flow.control;
  if ((debounce === undefined && batch === undefined) || NOT_COLLECTED.has(options.triggerType))
    return undefined;
  const name = flow.definition.name;
  const priority = await priorityOf(flow, input);
  const common = {
    // A fixed id (an event, a poll item) is the trigger's: delivered twice, it is collected once.
    trigger: { id: options.id ?? randomUUID(), input: input === undefined ? null : input },
    run: {
      id: randomUUID(),
      flow: name,
      flowVersion: flow.definition.version,
      triggerType: options.triggerType,
      correlationId: options.correlationId,
      ...(priority === undefined ? {} : { priority }),
    },
    now: Date.now(),
  };
  if (debounce !== undefined) {
    return store.flowControl.collect({
      ...common,
      kind: 'debounce',
      key: `${name}:${await controlKey(debounce.key, input)}`,
      windowMs: debounce.periodMs,
      ...(debounce.maxWaitMs === undefined ? {} : { maxWaitMs: debounce.maxWaitMs }),
    });
  }
  if (batch === undefined) return undefined;
  return store.flowControl.collect({
    ...common,
    kind: 'batch',
    key: `${name}:${await controlKey(batch.key, input)}`,
    windowMs: batch.maxWaitMs,
    maxItems: batch.maxItems,
  });
}
