/**
 * File shapes and builders of the trigger and step kinds beyond webhook/schedule and map/call,
 * and of flow control. Kept apart from build-flow.ts so that file stays about the basics.
 */
import type {
  ExtraStepDefinition,
  ExtraTriggerDefinition,
  FlowControl,
  WebhookSignature,
} from './flow-kinds.ts';
import type { SourceLocation, StepDefinition } from './model.ts';
import type { PathSegment } from './yaml-file.ts';

type Obj = Readonly<Record<string, unknown>>;

export type ExtraTriggerFile =
  | { readonly type: 'event'; readonly event: string }
  | { readonly type: 'message'; readonly system: string; readonly operation: string }
  | ({
      readonly type: 'poll';
      readonly system: string;
      readonly operation: string;
      readonly every: string;
    } & Obj);

export type ExtraStepFile = { readonly id: string; readonly type: ExtraStepDefinition['type'] } & Obj;

export interface WebhookSignatureFile {
  readonly scheme: WebhookSignature['scheme'];
  readonly secret: string;
  readonly toleranceSeconds?: number;
}

export interface FlowControlFile {
  readonly concurrency?: { readonly limit: number; readonly key?: string };
  readonly throttle?: { readonly limit: number; readonly period: string; readonly key?: string };
  readonly singleton?: { readonly key?: string };
  readonly priority?: string;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s` → 30000; the schema has already checked the shape. */
export function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  return match === null ? 0 : Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1);
}

export const webhookDefaults = { toleranceSeconds: 300 } as const;

export function buildSignature(file: WebhookSignatureFile): WebhookSignature {
  return {
    scheme: file.scheme,
    secret: file.secret,
    toleranceSeconds: file.toleranceSeconds ?? webhookDefaults.toleranceSeconds,
  };
}

export function buildExtraTrigger(trigger: ExtraTriggerFile, source: SourceLocation): ExtraTriggerDefinition {
  if (trigger.type === 'event') return { type: 'event', event: trigger.event, source };
  if (trigger.type === 'message')
    return { type: 'message', system: trigger.system, operation: trigger.operation, source };
  const optional = (name: string) =>
    typeof trigger[name] === 'string' ? { [name]: trigger[name] as string } : {};
  return {
    type: 'poll',
    system: trigger.system,
    operation: trigger.operation,
    everyMs: durationMs(trigger.every),
    ...optional('input'),
    ...optional('items'),
    ...optional('cursor'),
    source,
  };
}

export function buildControl(file: FlowControlFile): FlowControl {
  const { concurrency, throttle, singleton, priority } = file;
  return {
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(throttle === undefined
      ? {}
      : {
          throttle: {
            limit: throttle.limit,
            periodMs: durationMs(throttle.period),
            ...(throttle.key === undefined ? {} : { key: throttle.key }),
          },
        }),
    ...(singleton === undefined ? {} : { singleton }),
    ...(priority === undefined ? {} : { priority }),
  };
}

type BuildNested = (steps: readonly unknown[], at: PathSegment[]) => StepDefinition[];

/**
 * Builds a step of the extra kinds: its fields as written, durations in milliseconds, defaults
 * applied, and nested step lists built by `nested` (which knows the YAML positions).
 */
export function buildExtraStep(
  step: ExtraStepFile,
  at: PathSegment[],
  source: SourceLocation,
  nested: BuildNested,
): StepDefinition {
  const { id, type } = step;
  const list = (name: string) => nested((step[name] as unknown[] | undefined) ?? [], [...at, name]);
  const rest = Object.fromEntries(Object.entries(step).filter(([name]) => name !== 'description'));
  switch (type) {
    case 'http':
      return {
        ...rest,
        id,
        type,
        method: (step.method as string | undefined) ?? 'GET',
        url: step.url as string,
        source,
      } as StepDefinition;
    case 'branch':
      return {
        id,
        type,
        if: step.if as string,
        // biome-ignore lint/suspicious/noThenProperty: the branch's YAML field; an array, never a function
        then: list('then'),
        else: list('else'),
        source,
      };
    case 'switch': {
      const cases = ((step.cases as { when: string | number | boolean }[] | undefined) ?? []).map(
        (entry, index) => ({
          when: entry.when,
          steps: nested((entry as unknown as { steps: unknown[] }).steps, [...at, 'cases', index, 'steps']),
        }),
      );
      return { id, type, value: step.value as string, cases, default: list('default'), source };
    }
    case 'foreach':
      return {
        id,
        type,
        items: step.items as string,
        concurrency: (step.concurrency as number | undefined) ?? 1,
        steps: list('steps'),
        source,
      };
    case 'parallel':
      return { id, type, steps: list('steps'), source };
    case 'delay':
      return {
        id,
        type,
        ...(typeof step.duration === 'string' ? { durationMs: durationMs(step.duration) } : {}),
        ...(typeof step.until === 'string' ? { until: step.until } : {}),
        source,
      };
    case 'wait':
      return {
        id,
        type,
        ...(typeof step.event === 'string' ? { event: step.event } : {}),
        ...(typeof step.key === 'string' ? { key: step.key } : {}),
        ...(step.callback === true ? { callback: true } : {}),
        timeoutMs: durationMs(step.timeout as string),
        onTimeout: (step.onTimeout as 'fail' | 'continue' | undefined) ?? 'fail',
        source,
      };
    case 'subflow':
      return {
        id,
        type,
        flow: step.flow as string,
        ...(typeof step.input === 'string' ? { input: step.input } : {}),
        timeoutMs: typeof step.timeout === 'string' ? durationMs(step.timeout) : 86_400_000,
        source,
      };
    default:
      return { ...rest, id, type, source } as StepDefinition;
  }
}
