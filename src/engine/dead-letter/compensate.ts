/**
 * Saga compensation: when a run dies after steps with side effects completed, each completed
 * `call` step that declares `compensate` is undone by its compensating call, newest first.
 * Each compensation is checkpointed as step `<id>__compensate` (a resumed run skips those
 * already done) and sends the idempotency key `<run>:<id>__compensate`.
 *
 * Compensation inputs are evaluated over the *recorded* step outputs, i.e. as stored (redacted).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfluxError } from '../../errors/index.ts';
import { compileExpression } from '../../mapping/index.ts';
import { childTrace, formatTraceparent, type Logger } from '../../observability/index.ts';
import type { FlowDefinition, StepDefinition } from '../../project/index.ts';
import type { RunRecord, Store } from '../../store/index.ts';
import type { SystemCaller } from '../../systems/index.ts';
import { backoffDelay, isRetryable, retryFor } from '../retry-policy.ts';
import { describeFailure } from '../run-error.ts';

export const COMPENSATION_SUFFIX = '__compensate';
// Compensation backoffs are slept in-process: the run is already over, nothing else waits on it.
const MAX_COMPENSATION_BACKOFF_MS = 5000;

export interface CompensationDeps {
  readonly store: Store;
  readonly systems: SystemCaller;
  readonly redact: (value: unknown) => unknown;
  readonly logger: Logger;
}

export interface CompensationReport {
  readonly compensated: readonly string[];
  readonly failed: readonly { readonly step: string; readonly code: string; readonly message: string }[];
}

type Compensable = Extract<StepDefinition, { type: 'call' }> & {
  readonly compensate: NonNullable<Extract<StepDefinition, { type: 'call' }>['compensate']>;
};

function isCompensable(step: StepDefinition): step is Compensable {
  return step.type === 'call' && step.compensate !== undefined;
}

/** True when the flow declares any compensation (most flows do not: nothing to load then). */
export function hasCompensations(flow: FlowDefinition): boolean {
  return flow.steps.some(isCompensable);
}

async function callOnce(
  deps: CompensationDeps,
  run: RunRecord,
  step: Compensable,
  context: { trigger: unknown; steps: Record<string, unknown> },
  signal: AbortSignal,
): Promise<{ input: unknown; output: unknown }> {
  const { system, operation, input } = step.compensate;
  const where = `flow ${run.flow} step "${step.id}" compensate`;
  const value = input === undefined ? {} : ((await compileExpression(input, where).evaluate(context)) ?? {});
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfluxError('ENGINE_STEP_FAILED', `${where}: input must evaluate to an object of parameters`, {
      details: { step: step.id, retryable: false },
    });
  }
  const parameters = value as Record<string, unknown>;
  const response = await deps.systems.call(system, operation, parameters, {
    correlationId: run.correlationId,
    idempotencyKey: `${run.id}:${step.id}${COMPENSATION_SUFFIX}`,
    traceparent: formatTraceparent(childTrace(undefined)),
    signal,
  });
  if (response.status >= 400) {
    throw new ConfluxError(
      'ENGINE_STEP_FAILED',
      `${where}: ${system}.${operation} answered HTTP ${response.status}`,
      {
        details: {
          step: step.id,
          status: response.status,
          retryable: response.status >= 500 || response.status === 429,
        },
      },
    );
  }
  return {
    input: parameters,
    output: { status: response.status, headers: response.headers, body: response.body },
  };
}

/** Runs the compensations a dead run owes; returns what was undone and what could not be. */
export async function compensate(
  deps: CompensationDeps,
  run: RunRecord,
  flow: FlowDefinition,
  signal: AbortSignal,
): Promise<CompensationReport | undefined> {
  if (!hasCompensations(flow)) return undefined;
  const records = await deps.store.runs.listSteps(run.id);
  const succeeded = new Map(records.filter((r) => r.status === 'succeeded').map((r) => [r.stepId, r]));
  const context = {
    trigger: run.input,
    steps: Object.fromEntries([...succeeded].map(([id, r]) => [id, r.output])),
  };
  const owed = flow.steps
    .filter(isCompensable)
    .filter((step) => succeeded.has(step.id))
    .sort((a, b) => (succeeded.get(b.id)?.startedAt ?? 0) - (succeeded.get(a.id)?.startedAt ?? 0));
  if (owed.length === 0) return undefined;
  const compensated: string[] = [];
  const failed: { step: string; code: string; message: string }[] = [];
  for (const step of owed) {
    const recordId = `${step.id}${COMPENSATION_SUFFIX}`;
    if (succeeded.has(recordId)) {
      compensated.push(step.id);
      continue;
    }
    const policy = retryFor(flow, step.id);
    const startedAt = Date.now();
    for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
      try {
        const result = await callOnce(deps, run, step, context, signal);
        await deps.store.runs.saveStep({
          runId: run.id,
          stepId: recordId,
          status: 'succeeded',
          input: deps.redact(result.input),
          output: deps.redact(result.output),
          error: undefined,
          attempts: attempt,
          startedAt,
          finishedAt: Date.now(),
        });
        compensated.push(step.id);
        break;
      } catch (error) {
        const retryable = isRetryable(error) && !signal.aborted;
        if (retryable && attempt < policy.attempts) {
          await sleep(Math.min(backoffDelay(attempt, policy.backoffMs), MAX_COMPENSATION_BACKOFF_MS));
          continue;
        }
        const failure = describeFailure(recordId, attempt, retryable, error);
        deps.logger.warn({ runId: run.id, step: step.id, code: failure.code }, 'compensation failed');
        await deps.store.runs.saveStep({
          runId: run.id,
          stepId: recordId,
          status: 'failed',
          input: undefined,
          output: undefined,
          error: deps.redact(failure),
          attempts: attempt,
          startedAt,
          finishedAt: Date.now(),
        });
        failed.push({ step: step.id, code: failure.code, message: failure.message });
        break;
      }
    }
  }
  return { compensated, failed };
}
