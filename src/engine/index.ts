export {
  type ArazzoImportOptions,
  type ArazzoImportResult,
  type ArazzoWarning,
  type ImportedFlow,
  importArazzo,
} from './arazzo/index.ts';
export { COMPENSATION_SUFFIX } from './dead-letter/compensate.ts';
export {
  type BulkReplayFilter,
  type BulkReplayResult,
  MAX_BULK_REPLAY,
  type ReplayOptions,
  replayRun,
  replayRuns,
} from './dead-letter/replay.ts';
export { createEngine } from './engine.ts';
export { createRetentionPruner, type RetentionPolicy, type RetentionPruner } from './retention/pruner.ts';
export { backoffDelay, isRetryable } from './retry-policy.ts';
export type { StepFailure } from './run-error.ts';
export { INVALID_CREDENTIALS_PARK_MS } from './steps/call.ts';
export { type FlowTestOptions, runFlowTests, runMappingTests, type TestResult } from './testing/index.ts';
export type { FireMeta, TriggerSource } from './triggers/types.ts';
export { createWebhookVerifier, verifySignature } from './triggers/webhook-signature.ts';
export type { Engine, EngineDeps, StartRunOptions } from './types.ts';
