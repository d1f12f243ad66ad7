/**
 * File shapes and builders of the trigger and step kinds beyond webhook/schedule and map/call,
 * and of flow control. Kept apart from build-flow.ts so that file stays about the basics.
 */
import { isAbsolute, resolve } from 'node:path';
import type {
  ExtraStepDefinition,
  ExtraTriggerDefinition,
  FileColumn,
  FileTriggerDefinition,
  FlowControl,
  WebhookSignature,
} from './flow-kinds.ts';
import type { ProjectProblem, SourceLocation, StepDefinition } from './model.ts';
import type { PathSegment, YamlFile } from './yaml-file.ts';

type Obj = Readonly<Record<string, unknown>>;

export type ExtraTriggerFile =
  | { readonly type: 'event'; readonly event: string }
  | { readonly type: 'message'; readonly system: string; readonly operation: string }
  | ({
      readonly type: 'poll';
      readonly system: string;
      readonly operation: string;
      readonly every: string;
    } & Obj)
  | FileTriggerFile;

export interface FileTriggerFile {
  readonly type: 'file';
  readonly dir: string;
  readonly pattern?: string;
  /** CSV columns; `fields` instead makes a fixed-width file (the schema wants exactly one). */
  readonly columns?: readonly FileColumn[];
  readonly fields?: readonly (FileColumn & { readonly start: number; readonly length: number })[];
  readonly delimiter?: string;
  readonly header?: boolean;
  readonly per?: 'record' | 'batch' | 'file';
  readonly batchSize?: number;
  readonly every?: string;
  readonly settle?: string;
}

export const fileTriggerDefaults = {
  pattern: '*',
  per: 'record',
  batchSize: 100,
  everyMs: 1000,
  settleMs: 500,
} as const;

/** The file trigger with its defaults; `dir` is made absolute against the project root. */
function buildFileTrigger(
  trigger: FileTriggerFile,
  source: SourceLocation,
  root: string,
): FileTriggerDefinition {
  const format: FileTriggerDefinition['format'] =
    trigger.fields !== undefined
      ? { kind: 'fixed-width', fields: trigger.fields }
      : {
          kind: 'csv',
          columns: trigger.columns ?? [],
          ...(trigger.delimiter === undefined ? {} : { delimiter: trigger.delimiter }),
          ...(trigger.header === undefined ? {} : { header: trigger.header }),
        };
  return {
    type: 'file',
    dir: isAbsolute(trigger.dir) ? trigger.dir : resolve(root, trigger.dir),
    pattern: trigger.pattern ?? fileTriggerDefaults.pattern,
    format,
    per: trigger.per ?? fileTriggerDefaults.per,
    batchSize: trigger.batchSize ?? fileTriggerDefaults.batchSize,
    everyMs: trigger.every === undefined ? fileTriggerDefaults.everyMs : durationMs(trigger.every),
    settleMs: trigger.settle === undefined ? fileTriggerDefaults.settleMs : durationMs(trigger.settle),
    source,
  };
}

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
  readonly debounce?: { readonly period: string; readonly maxWait?: string; readonly key?: string };
  readonly batch?: { readonly maxItems: number; readonly maxWait: string; readonly key?: string };
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

export function buildExtraTrigger(
  trigger: ExtraTriggerFile,
  source: SourceLocation,
  root: string,
): ExtraTriggerDefinition {
  if (trigger.type === 'event') return { type: 'event', event: trigger.event, source };
  if (trigger.type === 'file') return buildFileTrigger(trigger, source, root);
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
  const { concurrency, throttle, singleton, priority, debounce, batch } = file;
  const keyOf = (key: string | undefined) => (key === undefined ? {} : { key });
  return {
    ...(debounce === undefined
      ? {}
      : {
          debounce: {
            periodMs: durationMs(debounce.period),
            ...(debounce.maxWait === undefined ? {} : { maxWaitMs: durationMs(debounce.maxWait) }),
            ...keyOf(debounce.key),
          },
        }),
    ...(batch === undefined
      ? {}
      : { batch: { maxItems: batch.maxItems, maxWaitMs: durationMs(batch.maxWait), ...keyOf(batch.key) } }),
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

/**
 * Debounce and batching decide when a run starts (from the triggers they collect), so they
 * exclude each other and the controls that decide it at the trigger (singleton, throttle).
 */
export function checkControl(file: FlowControlFile | undefined, yaml: YamlFile): ProjectProblem[] {
  if (file === undefined) return [];
  const collector = file.debounce !== undefined ? 'debounce' : file.batch !== undefined ? 'batch' : undefined;
  if (collector === undefined) return [];
  const others = (['debounce', 'batch', 'singleton', 'throttle'] as const).filter(
    (name) => name !== collector && file[name] !== undefined,
  );
  return others.map((other) => ({
    ...yaml.keyAt(['control', other]),
    rule: 'schema',
    message: `control.${other}: cannot be combined with control.${collector}`,
    found: other,
    expected: `${collector} alone, or with concurrency and priority`,
  }));
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
