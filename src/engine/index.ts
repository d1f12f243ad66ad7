export { createEngine } from './engine.ts';
export { backoffDelay, isRetryable } from './retry-policy.ts';
export type { StepFailure } from './run-error.ts';
export type { Engine, EngineDeps, StartRunOptions } from './types.ts';
