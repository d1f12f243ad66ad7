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
import { backoffDelay, IN_PROCESS_BACKOFF_LIMIT_MS, isRetryable } from './retry-policy.ts';
import { describeFailure, previousAttempts, type StepFailure } from './run-error.ts';
import type { CompiledStep, RunContext, StepResult, StepRuntime } from './steps/types.ts';

export type RunOutcome =
  | { readonly kind: 'succeeded'; readonly output: unknown }
  | { readonly kind: 'retry'; readonly availableAt: number; readonly failure: StepFailure }
  | { readonly kind: 'dead'; readonly failure: StepFailure }
  /** The run was taken away (lease lost, shutdown deadline); whoever claims it next resumes it. */
  | { readonly kind: 'abandoned' };

type StepOutcome =
  | { readonly kind: 'done'; readonly output: unknown }
  | Exclude<RunOutcome, { kind: 'succeeded' }>;

export interface ExecuteDeps {
  readonly store: Store;
  readonly systems: SystemCaller;
  readonly redact: (value: unknown) => unknown;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

interface Execution {
  readonly run: RunRecord;
  readonly flow: CompiledFlow;
  readonly deps: ExecuteDeps;
  readonly runtime: StepRuntime;
  readonly context: RunContext;
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
    stepId: step.id,
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
  const failure = describeFailure(step.id, attempt, retryable, error);
  if (!retryable || attempt >= flow.definition.retry.attempts)
    return fail(execution, step, failure, startedAt);
  const delay = backoffDelay(attempt, flow.definition.retry.backoffMs);
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
  const { run, deps, runtime, context } = execution;
  let attempt = previousAttempts(run.error, step.id);
  // Bounded: every pass spends one attempt, and afterFailure ends the loop at the last one.
  for (;;) {
    attempt += 1;
    const startedAt = Date.now();
    let result: StepResult;
    try {
      result = await step.run(context, runtime);
    } catch (error) {
      observe(execution, step, startedAt, 'failed');
      const next = await afterFailure(execution, step, attempt, error, startedAt);
      if (next === 'again') continue;
      return next;
    }
    observe(execution, step, startedAt, 'succeeded');
    await deps.store.runs.saveStep({
      runId: run.id,
      stepId: step.id,
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

/** Store errors propagate: the run keeps its lease until it expires, and the next claim resumes it. */
export async function executeRun(
  run: RunRecord,
  flow: CompiledFlow,
  deps: ExecuteDeps,
  signal: AbortSignal,
): Promise<RunOutcome> {
  const recorded = new Map<string, unknown>();
  for (const step of await deps.store.runs.listSteps(run.id)) {
    if (step.status === 'succeeded') recorded.set(step.stepId, step.output);
  }
  const execution: Execution = {
    run,
    flow,
    deps,
    context: { trigger: run.input, steps: {} },
    runtime: {
      runId: run.id,
      correlationId: run.correlationId,
      traceparent: formatTraceparent(childTrace(undefined)),
      signal,
      systems: deps.systems,
    },
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
