/**
 * Claim check: a run's trigger data or a step's input/output whose JSON exceeds a threshold is
 * stored once in `payloads` and the run or step row holds only a reference
 * `{ "$payload": <id>, "bytes": <n> }`. Rows stay small, so listing history, claiming and
 * polling never move the large values around; the engine loads a payload back only when a
 * claimed run needs it (its input, or a recorded step output on resume).
 *
 * The wrapper is applied to the engine's view of the store, so no step kind has to know.
 */
import { createHash } from 'node:crypto';
import type { RunRecord, StepRecord, Store } from '../../store/index.ts';

export const DEFAULT_CLAIM_CHECK_BYTES = 256 * 1024;

interface PayloadRef {
  readonly $payload: string;
  readonly bytes: number;
}

export function isPayloadRef(value: unknown): value is PayloadRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { $payload?: unknown }).$payload === 'string' &&
    Object.keys(value).length === 2
  );
}

async function offload(store: Store, runId: string, value: unknown, threshold: number): Promise<unknown> {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  const json = JSON.stringify(value);
  if (json.length <= threshold) return value;
  const id = createHash('sha256').update(runId).update('\0').update(json).digest('hex');
  await store.payloads.put({ id, runId, data: json }, Date.now());
  return { $payload: id, bytes: Buffer.byteLength(json) } satisfies PayloadRef;
}

/** Replaces a reference by the stored value (a missing payload stays a reference). */
export async function loadPayload(store: Store, value: unknown): Promise<unknown> {
  if (!isPayloadRef(value)) return value;
  const data = await store.payloads.get(value.$payload);
  return data === undefined ? value : JSON.parse(data);
}

async function loadRun(store: Store, run: RunRecord): Promise<RunRecord> {
  return isPayloadRef(run.input) ? { ...run, input: await loadPayload(store, run.input) } : run;
}

/** The store as the engine sees it: large values offloaded on write, loaded back on read. */
export function withClaimCheck(store: Store, thresholdBytes = DEFAULT_CLAIM_CHECK_BYTES): Store {
  const runs = store.runs;
  return {
    ...store,
    flowControl: {
      ...store.flowControl,
      // A batch's trigger data is the array of its triggers: often the largest input of all.
      async seal(runId, owner, input, now) {
        return store.flowControl.seal(runId, owner, await offload(store, runId, input, thresholdBytes), now);
      },
    },
    runs: {
      ...runs,
      async create(run) {
        const input = await offload(store, run.id, run.input, thresholdBytes);
        const created = await runs.create({ ...run, input });
        return input === run.input ? created : { ...created, input: run.input };
      },
      async claim(owner, leaseMs, limit, now) {
        const claimed = await runs.claim(owner, leaseMs, limit, now);
        return Promise.all(claimed.map((run) => loadRun(store, run)));
      },
      async saveStep(step: StepRecord) {
        await runs.saveStep({
          ...step,
          input: await offload(store, step.runId, step.input, thresholdBytes),
          output: await offload(store, step.runId, step.output, thresholdBytes),
        });
      },
      async listSteps(runId) {
        const steps = await runs.listSteps(runId);
        return Promise.all(
          steps.map(async (step) =>
            isPayloadRef(step.output) || isPayloadRef(step.input)
              ? {
                  ...step,
                  input: await loadPayload(store, step.input),
                  output: await loadPayload(store, step.output),
                }
              : step,
          ),
        );
      },
    },
  };
}
