/**
 * Runs a claimed run's steps in order. Steps already recorded for the run are skipped and
 * their stored output re-enters the context: that is what makes a resumed run never call a
 * completed step again. Each step's result is saved before the next step starts.
 *
 * The context keeps the unredacted outputs of steps run in this claim; outputs of steps
 * recorded by an earlier claim come back from the store, i.e. redacted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { childTrace, formatTraceparent, type Logger, type Metrics } from '../observability/index.ts';
import type { RunRecord, Store } from '../store/index.ts';
import type { SystemCaller } from '../systems/index.ts';
import type { CompiledFlow } from './compile-flow.ts';
import {
  backoffDelay,
  IN_PROCESS_BACKOFF_LIMIT_MS,
  isRetryable,
  retryAfterOf,
  retryFor,
} from './retry-policy.ts';
import { describeFailure, previousAttempts, type StepFailure } from './run-error.ts';
import { RunSuspended, StepInterrupt } from './steps/signals.ts';
import type { CompiledStep, RunContext, StepResult, StepRuntime, StepServices } from './steps/types.ts';

export type RunOutcome =
  | { readonly kind: 'succeeded'; readonly output: unknown }
  | { readonly kind: 'retry'; readonly availableAt: number; readonly failure: StepFailure }
  | { readonly kind: 'dead'; readonly failure: StepFailure }
  /** The run was taken away (lease lost, shutdown deadline); whoever claims it next resumes it. */
  | { readonly kind: 'abandoned' }
  /** A step parked the run (delay, wait, child run) until `availableAt` or an earlier wake-up. */
  | { readonly kind: 'suspend'; readonly availableAt: number; readonly recheck?: () => Promise<boolean> };

type StepOutcome =
  | { readonly kind: 'done'; readonly output: unknown }
  | Exclude<RunOutcome, { kind: 'succeeded' }>;

export interface ExecuteDeps {
  readonly store: Store;
  readonly systems: SystemCaller;
  readonly redact: (value: unknown) => unknown;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly services: StepServices;
}

interface Execution {
  readonly run: RunRecord;
  readonly flow: CompiledFlow;
  readonly deps: ExecuteDeps;
  readonly runtime: Omit<StepRuntime, 'stepKey' | 'runBlock'>;
  readonly context: RunContext;
  /** Checkpoint-id prefix of the steps being run (`loop[3].` inside a foreach). */
  readonly prefix: string;
  /** Outputs of the steps recorded by earlier claims, by checkpoint id. */
  readonly recorded: ReadonlyMap<string, unknown>;
}

const ABANDONED = { kind: 'abandoned' } as const;

function observe(execution: Execution, step: CompiledStep, startedAt: number, outcome: string): void {
  execution.deps.metrics.stepDuration.observe(
    { flow: execution.run.flow, step: step.id, outcome },
    (Date.now() - startedAt) / 1000,
  );
}

async function fail(
  execution: Execution,
  step: CompiledStep,
  failure: StepFailure,
  startedAt: number,
): Promise<StepOutcome> {
  const { run, deps, context } = execution;
  const dead: StepFailure = { ...failure, completedSteps: Object.keys(context.steps) };
  await deps.store.runs.saveStep({
    runId: run.id,
    stepId: execution.prefix + step.id,
    status: 'failed',
    input: undefined,
    output: undefined,
    error: deps.redact(dead),
    attempts: failure.attempts,
    startedAt,
    finishedAt: Date.now(),
  });
  return { kind: 'dead', failure: dead };
}

/**
 * Decides what follows a failed try: another try now (after a short in-process backoff), the
 * run back to the queue (a long backoff), or the dead letter.
 */
async function afterFailure(
  execution: Execution,
  step: CompiledStep,
  attempt: number,
  error: unknown,
  startedAt: number,
): Promise<StepOutcome | 'again'> {
  const { run, flow, deps, runtime } = execution;
  if (runtime.signal.aborted) return ABANDONED;
  const retryable = isRetryable(error);
  const failure = describeFailure(execution.prefix + step.id, attempt, retryable, error);
  const policy = retryFor(flow.definition, step.id);
  if (!retryable || attempt >= policy.attempts) return fail(execution, step, failure, startedAt);
  // Never sooner than the system (or its budget) asked: retrying into a pause only fails again.
  const delay = Math.max(backoffDelay(attempt, policy.backoffMs), retryAfterOf(error));
  deps.logger.info(
    { runId: run.id, step: step.id, attempt, delayMs: delay, code: failure.code },
    'step failed; retrying',
  );
  if (delay >= IN_PROCESS_BACKOFF_LIMIT_MS) {
    const availableAt = Date.now() + delay;
    return { kind: 'retry', availableAt, failure: { ...failure, nextAttemptAt: availableAt } };
  }
  try {
    await sleep(delay, undefined, { signal: runtime.signal });
  } catch {
    return ABANDONED;
  }
  return 'again';
}

/** One step with its tries; the count continues from earlier claims of the run. */
async function runStep(execution: Execution, step: CompiledStep): Promise<StepOutcome> {
  const { run, deps, context } = execution;
  const stepKey = execution.prefix + step.id;
  const runtime: StepRuntime = {
    ...execution.runtime,
    stepKey,
    runBlock: (steps, blockContext, scope) =>
      runBlock({ ...execution, context: blockContext, prefix: `${stepKey}${scope}` }, steps),
  };
  let attempt = previousAttempts(run.error, stepKey);
  // Bounded: every pass spends one attempt, and afterFailure ends the loop at the last one.
  for (;;) {
    attempt += 1;
    const startedAt = Date.now();
    let result: StepResult;
    try {
      result = await step.run(context, runtime);
    } catch (error) {
      if (error instanceof RunSuspended) {
        return error.recheck === undefined
          ? { kind: 'suspend', availableAt: error.availableAt }
          : { kind: 'suspend', availableAt: error.availableAt, recheck: error.recheck };
      }
      if (error instanceof StepInterrupt) return error.outcome as StepOutcome;
      observe(execution, step, startedAt, 'failed');
      const next = await afterFailure(execution, step, attempt, error, startedAt);
      if (next === 'again') continue;
      return next;
    }
    observe(execution, step, startedAt, 'succeeded');
    await deps.store.runs.saveStep({
      runId: run.id,
      stepId: stepKey,
      status: 'succeeded',
      input: deps.redact(result.input),
      output: deps.redact(result.output),
      error: undefined,
      attempts: attempt,
      startedAt,
      finishedAt: Date.now(),
    });
    return { kind: 'done', output: result.output };
  }
}

/**
 * Runs steps in order within `execution.context` (a copy: the block's outputs stay its own),
 * skipping recorded ones; a step that does not complete interrupts the caller with its outcome.
 */
async function runBlock(
  execution: Execution,
  steps: readonly CompiledStep[],
): Promise<Record<string, unknown>> {
  const outputs: Record<string, unknown> = {};
  const context = { ...execution.context, steps: { ...execution.context.steps } };
  const inner = { ...execution, context };
  for (const step of steps) {
    const key = execution.prefix + step.id;
    if (execution.recorded.has(key)) {
      outputs[step.id] = context.steps[step.id] = execution.recorded.get(key);
      continue;
    }
    if (execution.runtime.signal.aborted) throw new StepInterrupt(ABANDONED);
    const outcome = await runStep(inner, step);
    if (outcome.kind !== 'done') throw new StepInterrupt(outcome);
    outputs[step.id] = context.steps[step.id] = outcome.output;
  }
  return outputs;
}

async function runOutput(execution: Execution): Promise<RunOutcome> {
  const { flow, context } = execution;
  if (flow.output === undefined) {
    const last = flow.steps.at(-1);
    return { kind: 'succeeded', output: last === undefined ? undefined : context.steps[last.id] };
  }
  try {
    return { kind: 'succeeded', output: await flow.output.evaluate(context) };
  } catch (error) {
    return { kind: 'dead', failure: describeFailure('output', 1, false, error) };
  }
}

/** Callback paths of the flow's top-level `wait` steps with `callback: true`, for `run.callbacks.<id>`. */
function callbacksOf(flow: CompiledFlow, runId: string, services: StepServices): Record<string, string> {
  const callbacks: Record<string, string> = {};
  for (const step of flow.definition.steps) {
    if (step.type === 'wait' && step.callback === true)
      callbacks[step.id] = services.callbackPath(runId, step.id);
  }
  return callbacks;
}

/** Store errors propagate: the run keeps its lease until it expires, and the next claim resumes it. */
export async function executeRun(
  run: RunRecord,
  flow: CompiledFlow,
  deps: ExecuteDeps,
  signal: AbortSignal,
): Promise<RunOutcome> {
  const recorded = new Map<string, unknown>();
  // A run on its first claim and never replayed has recorded nothing yet: skip the read.
  const fresh = run.attempts === 1 && run.replays === 0;
  for (const step of fresh ? [] : await deps.store.runs.listSteps(run.id)) {
    if (step.status === 'succeeded') recorded.set(step.stepId, step.output);
  }
  const execution: Execution = {
    run,
    flow,
    deps,
    context: {
      trigger: run.input,
      steps: {},
      run: { id: run.id, callbacks: callbacksOf(flow, run.id, deps.services) },
    },
    runtime: {
      runId: run.id,
      correlationId: run.correlationId,
      traceparent: formatTraceparent(childTrace(undefined)),
      signal,
      systems: deps.systems,
      services: deps.services,
    },
    prefix: '',
    recorded,
  };
  for (const step of flow.steps) {
    if (recorded.has(step.id)) {
      execution.context.steps[step.id] = recorded.get(step.id);
      continue;
    }
    if (signal.aborted) return ABANDONED;
    const outcome = await runStep(execution, step);
    if (outcome.kind !== 'done') return outcome;
    execution.context.steps[step.id] = outcome.output;
  }
  if (signal.aborted) return ABANDONED;
  return runOutput(execution);
}
