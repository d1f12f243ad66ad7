import { ConfluxError } from '../../errors/index.ts';
import { formatTraceparent } from '../../observability/index.ts';
import type { TargetHandler } from '../config.ts';
import { bufferedJson } from '../policies/body.ts';
import type { FlowRunner } from '../ports.ts';
import { readJsonBody } from '../read-body.ts';
import { sendJson } from '../respond.ts';

export interface FlowTargetOptions {
  readonly flow: string;
  readonly runner: FlowRunner;
  readonly maxBodyBytes: number;
  readonly timeoutMs: number;
  /** `sync` answers the run's output; `async` answers 202 as soon as the run is stored. */
  readonly mode: 'sync' | 'async';
  readonly triggerType: 'route' | 'webhook';
}

/**
 * Runs a flow for a request. The trigger data a flow sees is the request's body, path
 * parameters, query and a few safe headers, so a mapping can use any of them.
 */
export function createFlowTarget(options: FlowTargetOptions): TargetHandler {
  return async (ctx) => {
    const body =
      ctx.body === undefined ? await readJsonBody(ctx.req, options.maxBodyBytes) : bufferedJson(ctx);
    const input = {
      body,
      params: ctx.params,
      query: Object.fromEntries(new URLSearchParams(ctx.query)),
      consumer: ctx.consumer?.name ?? null,
    };
    const runOptions = {
      triggerType: options.triggerType,
      correlationId: ctx.correlationId,
      traceparent: formatTraceparent(ctx.trace),
    };
    if (options.mode === 'async') {
      const { runId } = await options.runner.enqueue(options.flow, input, runOptions);
      sendJson(ctx.res, 202, { runId, status: 'queued' }, { 'x-conflux-run-id': runId });
      return;
    }
    const outcome = await options.runner.run(options.flow, input, {
      ...runOptions,
      timeoutMs: options.timeoutMs,
    });
    if (outcome.status === 'succeeded') {
      sendJson(ctx.res, 200, outcome.output ?? null, { 'x-conflux-run-id': outcome.runId });
      return;
    }
    throw new ConfluxError(
      'ENGINE_STEP_FAILED',
      `Flow ${options.flow} did not succeed (run ${outcome.runId} is ${outcome.status}).`,
      {
        details: {
          runId: outcome.runId,
          flow: options.flow,
          runStatus: outcome.status,
          error: publicError(outcome.error),
        },
      },
    );
  };
}

/** Only the stable parts of a run error reach the caller: code and message, no stack or cause. */
function publicError(error: unknown): unknown {
  if (error === null || typeof error !== 'object') return error ?? null;
  const { code, message, step } = error as Record<string, unknown>;
  return { code, message, step };
}
