/**
 * The model of the trigger and step kinds beyond `webhook`/`schedule` and `map`/`call`, and of
 * per-flow flow control. Expressions are JSONata source text; durations are milliseconds.
 */
import type { SourceLocation, StepDefinition } from './model.ts';

export interface WebhookSignature {
  /** `standard` (Standard Webhooks), `stripe`, `github` (X-Hub-Signature-256), `shopify`. */
  readonly scheme: 'standard' | 'stripe' | 'github' | 'shopify';
  /** Name of the vault secret holding the signing secret. */
  readonly secret: string;
  /** How old a signed timestamp may be (schemes that sign one); replays are refused for as long. */
  readonly toleranceSeconds: number;
}

export type ExtraTriggerDefinition =
  | { readonly type: 'event'; readonly event: string; readonly source: SourceLocation }
  /** A broker message on a SUBSCRIBE operation (channel) of an AsyncAPI system. */
  | {
      readonly type: 'message';
      readonly system: string;
      readonly operation: string;
      readonly source: SourceLocation;
    }
  | {
      readonly type: 'poll';
      readonly system: string;
      readonly operation: string;
      /** Operation input over `{ cursor }` (the last cursor seen, or null). */
      readonly input?: string;
      readonly everyMs: number;
      /** The items in a response `{ status, headers, body }`; default `body`. */
      readonly items?: string;
      /** An item's cursor; items above the stored cursor are new. Without it, a content hash decides. */
      readonly cursor?: string;
      readonly source: SourceLocation;
    }
  | FileTriggerDefinition;

/** A column of a CSV or fixed-width file: its name, type and whether an empty value is an error. */
export interface FileColumn {
  readonly name: string;
  readonly type?: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly required?: boolean;
}

/**
 * A watched drop folder (CSV or fixed-width files): runs per record, per batch or per file;
 * files move to `archive/` or `error/`, bad rows into `error/<file>.errors.csv`.
 */
export interface FileTriggerDefinition {
  readonly type: 'file';
  /** Absolute path of the folder (written relative to the project root). */
  readonly dir: string;
  /** Glob of the file names taken, e.g. `*.csv`. */
  readonly pattern: string;
  readonly format:
    | {
        readonly kind: 'csv';
        readonly columns: readonly FileColumn[];
        readonly delimiter?: string;
        readonly header?: boolean;
      }
    | {
        readonly kind: 'fixed-width';
        readonly fields: readonly (FileColumn & { readonly start: number; readonly length: number })[];
      };
  readonly per: 'record' | 'batch' | 'file';
  readonly batchSize: number;
  readonly everyMs: number;
  readonly settleMs: number;
  readonly source: SourceLocation;
}

type Base<T extends string> = {
  readonly id: string;
  readonly type: T;
  readonly source: SourceLocation;
};

export type ExtraStepDefinition =
  | (Base<'http'> & {
      readonly method: string;
      readonly url: string;
      /** `{ url?, query?, headers?, body? }`, overriding the static fields. */
      readonly input?: string;
      readonly timeoutMs?: number;
    })
  | (Base<'branch'> & {
      readonly if: string;
      readonly then: readonly StepDefinition[];
      readonly else: readonly StepDefinition[];
    })
  | (Base<'switch'> & {
      readonly value: string;
      readonly cases: readonly {
        readonly when: string | number | boolean;
        readonly steps: readonly StepDefinition[];
      }[];
      readonly default: readonly StepDefinition[];
    })
  | (Base<'foreach'> & {
      readonly items: string;
      readonly concurrency: number;
      readonly steps: readonly StepDefinition[];
    })
  | (Base<'parallel'> & { readonly steps: readonly StepDefinition[] })
  | (Base<'delay'> & { readonly durationMs?: number; readonly until?: string })
  | (Base<'wait'> & {
      readonly event?: string;
      /** Only events emitted with this key (evaluated when the wait starts) resume it. */
      readonly key?: string;
      readonly callback?: boolean;
      readonly timeoutMs: number;
      readonly onTimeout: 'fail' | 'continue';
    })
  | (Base<'emit'> & { readonly event: string; readonly data?: string; readonly key?: string })
  | (Base<'respond'> & { readonly output?: string })
  | (Base<'subflow'> & { readonly flow: string; readonly input?: string; readonly timeoutMs: number })
  | (Base<'fail'> & { readonly code: string; readonly message: string });

/** Keys are JSONata over the trigger data; runs with different keys never limit each other. */
export interface FlowControl {
  readonly concurrency?: { readonly limit: number; readonly key?: string };
  readonly throttle?: { readonly limit: number; readonly periodMs: number; readonly key?: string };
  /** At most one active (queued or running) run per key; a new one is skipped in its favour. */
  readonly singleton?: { readonly key?: string };
  /** Integer claim priority, higher first. */
  readonly priority?: string;
  /** Only the last trigger of a quiet period starts a run; the earlier ones are recorded as superseded. */
  readonly debounce?: { readonly periodMs: number; readonly maxWaitMs?: number; readonly key?: string };
  /** Up to `maxItems` triggers, or those within `maxWaitMs` of the first, start one run with their array. */
  readonly batch?: { readonly maxItems: number; readonly maxWaitMs: number; readonly key?: string };
}
