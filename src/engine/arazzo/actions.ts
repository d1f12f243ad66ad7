import { appendPointer } from './json-path.ts';
import { type ConvertIssues, isJson, type Json } from './types.ts';

export interface StepRetry {
  readonly attempts: number;
  readonly backoffMs: number;
}

/**
 * onSuccess / onFailure (and a workflow's successActions / failureActions) as far as a flow can
 * say them. `end` on failure is what a flow does anyway; `retry` becomes the retry policy
 * (Conflux retries only retryable failures and doubles the backoff); everything else — `goto`,
 * criteria on actions, an early `end` on success — is reported.
 */
export function convertActions(
  actions: unknown,
  pointer: string,
  outcome: 'success' | 'failure',
  components: Json,
  issues: ConvertIssues,
  isLastStep: boolean,
): StepRetry | undefined {
  if (actions === undefined) return undefined;
  if (!Array.isArray(actions)) {
    issues.warn(pointer, 'ignored: expected an array of actions');
    return undefined;
  }
  let retry: StepRetry | undefined;
  actions.forEach((entry, index) => {
    const at = appendPointer(pointer, index);
    const action = resolveAction(entry, at, outcome, components, issues);
    if (action === undefined) return;
    if (action.criteria !== undefined) {
      issues.warn(
        appendPointer(at, 'criteria'),
        'ignored: Conflux applies the action to every failure of the step, not only to those matching criteria',
      );
    }
    const type = action.type;
    if (type === 'end') {
      if (outcome === 'success' && !isLastStep)
        issues.warn(
          at,
          'ignored: a flow runs every step; ending the workflow early after a success is not supported',
        );
      return;
    }
    if (type === 'retry' && outcome === 'failure') {
      if (retry !== undefined) {
        issues.warn(at, 'ignored: only the first retry action is used');
        return;
      }
      const limit = typeof action.retryLimit === 'number' ? action.retryLimit : 1;
      const after = typeof action.retryAfter === 'number' ? action.retryAfter : 0;
      retry = {
        attempts: Math.min(50, Math.max(1, Math.floor(limit) + 1)),
        backoffMs: Math.min(86_400_000, Math.round(after * 1000)),
      };
      issues.warn(
        at,
        `became retry { attempts: ${retry.attempts}, backoffMs: ${retry.backoffMs} }: only retryable failures (timeouts, 429, 5xx) are retried, with the backoff doubled before each further try`,
      );
      return;
    }
    issues.warn(
      at,
      `ignored: action type "${String(type)}" is not supported (flows run their steps in order)`,
    );
  });
  return retry;
}

function resolveAction(
  entry: unknown,
  at: string,
  outcome: 'success' | 'failure',
  components: Json,
  issues: ConvertIssues,
): Json | undefined {
  if (!isJson(entry)) {
    issues.warn(at, 'ignored: not an action object');
    return undefined;
  }
  if (typeof entry.reference !== 'string') return entry;
  const kind = outcome === 'success' ? 'successActions' : 'failureActions';
  const match = new RegExp(`^\\$components\\.${kind}\\.(.+)$`).exec(entry.reference);
  const shared = isJson(components[kind]) ? (components[kind] as Json) : {};
  const target = match === null ? undefined : shared[match[1] ?? ''];
  if (!isJson(target))
    throw issues.invalid(
      appendPointer(at, 'reference'),
      `"${entry.reference}" names no reusable ${kind} entry in components`,
    );
  return target;
}
