import type { Engine } from '../engine/index.ts';
import type { FlowRunner } from '../gateway/index.ts';

/** Adapts the engine to the gateway's flow port: sync triggers wait, async ones return once stored. */
export function createFlowRunner(engine: Engine): FlowRunner {
  return {
    async run(flow, input, options) {
      const run = await engine.startRun(flow, input, { ...options, eager: true });
      const finished = await engine.waitForRun(run.id, options.timeoutMs);
      return { runId: finished.id, status: finished.status, output: finished.output, error: finished.error };
    },
    async enqueue(flow, input, options) {
      const run = await engine.startRun(flow, input, options);
      return { runId: run.id };
    },
  };
}
