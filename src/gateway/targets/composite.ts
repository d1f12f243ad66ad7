import { ConfluxError, toConfluxError } from '../../errors/index.ts';
import { type CompiledExpression, compileExpression } from '../../mapping/index.ts';
import { formatTraceparent } from '../../observability/index.ts';
import type { CompositeTarget } from '../../project/index.ts';
import type { TargetHandler } from '../config.ts';
import type { RequestContext } from '../context.ts';
import { bufferedJson } from '../policies/body.ts';
import type { OperationCaller } from '../ports.ts';
import { readJsonBody } from '../read-body.ts';
import { sendJson } from '../respond.ts';

export interface CompositeTargetOptions {
  readonly target: CompositeTarget;
  readonly caller: OperationCaller;
  readonly maxBodyBytes: number;
  /** `apis/x.yaml routes[2]`, for mapping errors. */
  readonly where: string;
  /** Parameter names an operation declares: a call without `input` gets those of the route's params. */
  readonly parameterNames: (system: string, operation: string) => readonly string[] | undefined;
}

interface CallFailure {
  readonly call: string;
  readonly code: string;
  readonly message: string;
  readonly status?: number;
}

interface PlannedCall {
  readonly id: string;
  readonly system: string;
  readonly operation: string;
  readonly needs: readonly string[];
  readonly timeoutMs: number;
  readonly input: CompiledExpression | undefined;
  /** Without `input`: which route params to pass (all, when the operation is not described). */
  readonly passParams: readonly string[] | undefined;
}

/**
 * One request fans out to several system operations and answers one merged body. Calls start
 * as soon as the calls they `need` have succeeded, so independent calls run in parallel and
 * dependent ones in order; each has its own timeout. Expressions are compiled here, once.
 *
 * The scope of every expression is `{ params, query, body, calls }`, `calls` holding the
 * bodies of the calls finished so far. A failure is handled as the route declares: `fail`
 * answers 502 naming the failed calls; `partial` answers 200 with `partial: true` and `errors`.
 */
export function createCompositeTarget(options: CompositeTargetOptions): TargetHandler {
  const { target } = options;
  const plan: PlannedCall[] = target.calls.map((call) => ({
    ...call,
    input:
      call.input === undefined
        ? undefined
        : compileExpression(call.input, `${options.where} call "${call.id}" input`),
    passParams: options.parameterNames(call.system, call.operation),
  }));
  const merge =
    target.merge === undefined ? undefined : compileExpression(target.merge, `${options.where} merge`);
  return async (ctx) => {
    const body =
      ctx.body !== undefined
        ? bufferedJson(ctx)
        : hasBody(ctx)
          ? await readJsonBody(ctx.req, options.maxBodyBytes)
          : undefined;
    const calls: Record<string, unknown> = {};
    const scope = {
      params: ctx.params,
      query: Object.fromEntries(new URLSearchParams(ctx.query)),
      body,
      calls,
    };
    const failures: CallFailure[] = [];
    const started = performance.now();
    await runPlan(
      plan,
      async (call) => {
        try {
          calls[call.id] = await callOne(call, scope, ctx, options.caller);
          return true;
        } catch (error) {
          failures.push(describeFailure(call.id, error));
          return false;
        }
      },
      (call, need) =>
        failures.push({
          call: call.id,
          code: 'GATEWAY_COMPOSITE_SKIPPED',
          message: `Not called: it needs "${need}", which failed.`,
        }),
    );
    ctx.upstreamMs = performance.now() - started;
    if (failures.length > 0 && target.onFailure === 'fail') {
      const names = failures.map((failure) => failure.call).join(', ');
      throw new ConfluxError('GATEWAY_COMPOSITE_FAILED', `The composite call(s) ${names} failed.`, {
        details: { failed: failures },
      });
    }
    const merged = merge === undefined ? calls : await merge.evaluate(scope);
    if (failures.length === 0) {
      sendJson(ctx.res, 200, merged ?? null);
      return;
    }
    const marked =
      merged !== null && typeof merged === 'object' && !Array.isArray(merged)
        ? { ...merged, partial: true, errors: failures }
        : { data: merged ?? null, partial: true, errors: failures };
    sendJson(ctx.res, 200, marked);
  };
}

/**
 * Starts every call whose needs have succeeded, waits for any to finish, repeats. A call whose
 * need failed is skipped (and reported); the schema check rules out cycles and unknown needs.
 */
async function runPlan(
  plan: readonly PlannedCall[],
  run: (call: PlannedCall) => Promise<boolean>,
  skip: (call: PlannedCall, need: string) => void,
): Promise<void> {
  const outcome = new Map<string, boolean>();
  const running = new Map<string, Promise<void>>();
  while (outcome.size < plan.length) {
    for (const call of plan) {
      if (outcome.has(call.id) || running.has(call.id)) continue;
      const failedNeed = call.needs.find((need) => outcome.get(need) === false);
      if (failedNeed !== undefined) {
        outcome.set(call.id, false);
        skip(call, failedNeed);
        continue;
      }
      if (!call.needs.every((need) => outcome.get(need) === true)) continue;
      running.set(
        call.id,
        run(call).then((ok) => {
          outcome.set(call.id, ok);
          running.delete(call.id);
        }),
      );
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
}

async function callOne(
  call: PlannedCall,
  scope: Record<string, unknown>,
  ctx: RequestContext,
  caller: OperationCaller,
): Promise<unknown> {
  const input =
    call.input === undefined
      ? defaultInput(call, scope.params as Record<string, string>)
      : await call.input.evaluate(scope);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfluxError(
      'GATEWAY_COMPOSITE_FAILED',
      `The input of call "${call.id}" must be an object of parameters (and body).`,
    );
  }
  // One client span per call, named after the operation it calls (none when tracing is off).
  const span =
    ctx.tracer?.enabled === true
      ? ctx.tracer.startSpan(`${call.system}.${call.operation}`, 'client', ctx.trace, {
          'conflux.system': call.system,
          'conflux.operation': call.operation,
          'conflux.composite.call': call.id,
        })
      : undefined;
  const signal = AbortSignal.timeout(call.timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(call)), call.timeoutMs);
  });
  try {
    const response = await Promise.race([
      caller.call(call.system, call.operation, input as Record<string, unknown>, {
        correlationId: ctx.correlationId,
        traceparent: formatTraceparent(span?.context ?? ctx.trace),
        signal,
      }),
      deadline,
    ]);
    span?.end();
    return response.body;
  } catch (error) {
    const failure = signal.aborted ? timeoutError(call) : error;
    span?.end({ code: toConfluxError(failure).code, message: toConfluxError(failure).message });
    throw failure;
  } finally {
    clearTimeout(timer);
  }
}

function defaultInput(call: PlannedCall, params: Record<string, string>): Record<string, string> {
  if (call.passParams === undefined) return { ...params };
  return Object.fromEntries(
    call.passParams
      .filter((name) => params[name] !== undefined)
      .map((name) => [name, params[name] as string]),
  );
}

function timeoutError(call: PlannedCall): ConfluxError {
  return new ConfluxError(
    'GATEWAY_UPSTREAM_TIMEOUT',
    `${call.system}.${call.operation} did not answer within ${call.timeoutMs} ms.`,
  );
}

function describeFailure(id: string, error: unknown): CallFailure {
  const failure = toConfluxError(error);
  const status = failure.details.status;
  return {
    call: id,
    code: failure.code,
    message: failure.kind === 'unexpected' ? 'The call failed unexpectedly.' : failure.message,
    ...(typeof status === 'number' ? { status } : {}),
  };
}

function hasBody(ctx: RequestContext): boolean {
  return (
    ctx.req.headers['content-length'] !== undefined || ctx.req.headers['transfer-encoding'] !== undefined
  );
}
