import type { MappingDefinition, StepDefinition } from '../../project/index.ts';
import type { SystemCaller } from '../../systems/index.ts';

/** What expressions see: the trigger data and the output of every step so far, by id. */
export interface RunContext {
  readonly trigger: unknown;
  readonly steps: Record<string, unknown>;
}

/** Facts about the run a step may need while executing. */
export interface StepRuntime {
  readonly runId: string;
  readonly correlationId: string;
  readonly traceparent: string;
  /** Aborted when the run is abandoned (lease lost, shutdown deadline). */
  readonly signal: AbortSignal;
  readonly systems: SystemCaller;
}

export interface StepResult {
  /** What the step acted on, for the step record (undefined when it is just the context). */
  readonly input: unknown;
  readonly output: unknown;
}

export interface CompiledStep {
  readonly id: string;
  readonly type: StepDefinition['type'];
  run(context: RunContext, runtime: StepRuntime): Promise<StepResult>;
}

export interface StepCompileContext {
  /** `flows/x.yaml step "id"`: where errors point. */
  readonly where: string;
  readonly mappings: ReadonlyMap<string, MappingDefinition>;
}

/** Compiles one kind of step from its validated definition; compile errors throw at load time. */
export type StepFactory<T extends StepDefinition['type']> = (
  definition: Extract<StepDefinition, { type: T }>,
  context: StepCompileContext,
) => CompiledStep;
