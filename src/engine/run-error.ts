import { isConfluxError } from '../errors/index.ts';

/**
 * A step failure as stored on the run (`error`) and the step record. On requeue it also carries
 * how many tries the step has had, so the next claimer continues the count instead of restarting it.
 */
export interface StepFailure {
  readonly step: string;
  readonly attempts: number;
  readonly retryable: boolean;
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
  /** For dead runs: the completed steps whose outputs were in the context when it failed. */
  readonly completedSteps?: readonly string[];
  readonly nextAttemptAt?: number;
  /** For dead runs of flows with `compensate` steps: what was undone and what could not be. */
  readonly compensation?: {
    readonly compensated: readonly string[];
    readonly failed: readonly { readonly step: string; readonly code: string; readonly message: string }[];
  };
}

export function describeFailure(
  step: string,
  attempts: number,
  retryable: boolean,
  error: unknown,
): StepFailure {
  if (isConfluxError(error)) {
    return { step, attempts, retryable, code: error.code, message: error.message, details: error.details };
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  return { step, attempts, retryable, code: typeof code === 'string' ? code : 'INTERNAL', message };
}

/** Tries already spent on `step` by earlier claims of the run (0 when the last failure was elsewhere). */
export function previousAttempts(runError: unknown, step: string): number {
  if (typeof runError !== 'object' || runError === null) return 0;
  const failure = runError as Partial<StepFailure>;
  return failure.step === step && typeof failure.attempts === 'number' ? failure.attempts : 0;
}
