export { createStore } from './create-store.ts';
export type {
  ApiKeyRecord,
  ApiKeyRepository,
  Dialect,
  RunFilter,
  RunRecord,
  RunRepository,
  RunStatus,
  ScheduleRepository,
  SecretEnvelope,
  SecretRepository,
  StepRecord,
  StepStatus,
  Store,
  StoreOptions,
} from './types.ts';
