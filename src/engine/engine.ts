import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfluxError } from '../errors/index.ts';
import { createFlowRegistry } from './flow-registry.ts';
import { processRun } from './process-run.ts';
import { startQueueSampler } from './queue-sampler.ts';
import { createRunWaiters } from './run-waiters.ts';
import { createScheduler } from './scheduler.ts';
import type { Engine, EngineDeps } from './types.ts';
import { createWorker } from './worker.ts';

const QUEUE_SAMPLE_MS = 5000;

/** The durable integration engine: flows, runs, steps, queue and schedules over one store. */
export function createEngine(deps: EngineDeps): Engine {
  const { store, logger, metrics } = deps;
  const workerId = deps.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const pollIntervalMs = deps.pollIntervalMs ?? 500;
  const leaseMs = deps.leaseMs ?? 30_000;
  const flows = createFlowRegistry(logger);
  const waiters = createRunWaiters(store, pollIntervalMs);
  let stopSampler: (() => void) | undefined;
  let started = false;

  const worker = createWorker({
    store,
    logger,
    workerId,
    leaseMs,
    pollIntervalMs,
    concurrency: deps.concurrency ?? 8,
    execute: (run, signal) =>
      processRun(
        {
          ...deps,
          workerId,
          flows,
          waiters,
          wakeAt: (at) => setTimeout(() => worker.wake(), Math.max(0, at - Date.now())).unref(),
        },
        run,
        signal,
      ),
  });

  async function startRun(
    flowName: string,
    input: unknown,
    options: { triggerType: string; correlationId: string },
  ) {
    const flow = flows.current(flowName);
    if (flow === undefined) {
      throw new ConfluxError('ENGINE_FLOW_NOT_FOUND', `No flow named "${flowName}" is loaded`, {
        details: { flow: flowName },
      });
    }
    const run = await store.runs.create({
      id: randomUUID(),
      flow: flowName,
      flowVersion: flow.definition.version,
      triggerType: options.triggerType,
      input: input === undefined ? null : input,
      correlationId: options.correlationId,
    });
    worker.wake();
    return run;
  }

  const scheduler = createScheduler(store, logger, startRun);

  return {
    load(flowDefinitions, mappings) {
      scheduler.set(flows.load(flowDefinitions, mappings));
    },
    startRun,
    waitForRun: (runId, timeoutMs) => waiters.wait(runId, timeoutMs),
    async start() {
      if (started) return;
      started = true;
      try {
        await store.ping();
      } catch (error) {
        started = false;
        throw error;
      }
      worker.start();
      scheduler.start();
      stopSampler = startQueueSampler(store, metrics, logger, QUEUE_SAMPLE_MS);
      logger.info({ workerId, leaseMs, pollIntervalMs }, 'engine started');
    },
    async stop(timeoutMs) {
      scheduler.stop();
      stopSampler?.();
      started = false;
      await worker.stop(timeoutMs);
      logger.info({ workerId }, 'engine stopped');
    },
  };
}
