import { type CompiledExpression, compileExpression } from '../../mapping/index.ts';
import type { FlowDefinition } from '../../project/index.ts';

export interface CompiledControl {
  readonly concurrency?: { readonly limit: number; readonly key: CompiledExpression | undefined };
  readonly throttle?: {
    readonly limit: number;
    readonly periodMs: number;
    readonly key: CompiledExpression | undefined;
  };
  readonly singleton?: { readonly key: CompiledExpression | undefined };
  readonly priority?: CompiledExpression;
  readonly debounce?: {
    readonly periodMs: number;
    readonly maxWaitMs: number | undefined;
    readonly key: CompiledExpression | undefined;
  };
  readonly batch?: {
    readonly maxItems: number;
    readonly maxWaitMs: number;
    readonly key: CompiledExpression | undefined;
  };
}

/** Compiles a flow's control keys at load, so a syntax error rejects the load like any expression. */
export function compileControl(flow: FlowDefinition): CompiledControl {
  const control = flow.control;
  if (control === undefined) return {};
  const where = `${flow.source.file} control`;
  const key = (text: string | undefined, name: string) =>
    text === undefined ? undefined : compileExpression(text, `${where} ${name} key`);
  return {
    ...(control.concurrency === undefined
      ? {}
      : {
          concurrency: { limit: control.concurrency.limit, key: key(control.concurrency.key, 'concurrency') },
        }),
    ...(control.throttle === undefined
      ? {}
      : {
          throttle: {
            limit: control.throttle.limit,
            periodMs: control.throttle.periodMs,
            key: key(control.throttle.key, 'throttle'),
          },
        }),
    ...(control.singleton === undefined
      ? {}
      : { singleton: { key: key(control.singleton.key, 'singleton') } }),
    ...(control.priority === undefined
      ? {}
      : { priority: compileExpression(control.priority, `${where} priority`) }),
    ...(control.debounce === undefined
      ? {}
      : {
          debounce: {
            periodMs: control.debounce.periodMs,
            maxWaitMs: control.debounce.maxWaitMs,
            key: key(control.debounce.key, 'debounce'),
          },
        }),
    ...(control.batch === undefined
      ? {}
      : {
          batch: {
            maxItems: control.batch.maxItems,
            maxWaitMs: control.batch.maxWaitMs,
            key: key(control.batch.key, 'batch'),
          },
        }),
  };
}

/** A control key's value for some trigger data: `''` without an expression, else its string form. */
export async function controlKey(
  expression: CompiledExpression | undefined,
  trigger: unknown,
): Promise<string> {
  if (expression === undefined) return '';
  const value = await expression.evaluate({ trigger });
  return value === undefined || value === null
    ? ''
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
}
