import type { MappingDefinition, StepDefinition } from '../../project/index.ts';
import type { Store } from '../../store/index.ts';
import type { SystemCaller } from '../../systems/index.ts';

/** What expressions see: the trigger data and the output of every step so far, by id. */
export interface RunContext {
  readonly trigger: unknown;
  readonly steps: Record<string, unknown>;
  /** Inside `foreach`: the current item and its index. */
  readonly item?: unknown;
  readonly index?: number;
  /** The run itself: its id, and the callback paths of its `wait` steps with `callback: true`. */
  readonly run?: { readonly id: string; readonly callbacks: Record<string, string> };
}

/** Engine services the richer step kinds use. */
export interface StepServices {
  readonly store: Store;
  /** Publishes an event durably (outbox) and dispatches it to waits and event triggers. */
  publish(event: { id: string; name: string; key: string | null; data: unknown }): Promise<void>;
  /** Starts a child run with a fixed id (idempotent: an existing run with that id is returned). */
  startChild(flow: string, input: unknown, runId: string, correlationId: string): Promise<void>;
  /** Hands an early answer to whoever waits for the run synchronously (in this process). */
  respond(runId: string, output: unknown): Promise<void>;
  /** True when an `http` step may call this resolved address (private ranges need an allow). */
  allowAddress(address: string, host: string): boolean;
  /** Path (on the gateway) that resumes a waiting step; `/hooks/_callback/<token>`. */
  callbackPath(runId: string, stepKey: string): string;
}

/** Facts about the run a step may need while executing. */
export interface StepRuntime {
  readonly runId: string;
  readonly correlationId: string;
  readonly traceparent: string;
  /** Aborted when the run is abandoned (lease lost, shutdown deadline). */
  readonly signal: AbortSignal;
  readonly systems: SystemCaller;
  /** The step's checkpoint id: its id, prefixed by its parents' (`loop[3].inner`). */
  readonly stepKey: string;
  readonly services: StepServices;
  /**
   * Runs nested steps in order, each checkpointed under `<stepKey><scope><id>`; returns their
   * outputs by id. A nested step that parks, retries later or fails interrupts the parent.
   */
  runBlock(
    steps: readonly CompiledStep[],
    context: RunContext,
    scope: string,
  ): Promise<Record<string, unknown>>;
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
  /** Compiles nested steps (containers: branch, switch, foreach, parallel). */
  readonly compile: (steps: readonly StepDefinition[], where: string) => CompiledStep[];
}

/** Compiles one kind of step from its validated definition; compile errors throw at load time. */
export type StepFactory<T extends StepDefinition['type']> = (
  definition: Extract<StepDefinition, { type: T }>,
  context: StepCompileContext,
) => CompiledStep;
