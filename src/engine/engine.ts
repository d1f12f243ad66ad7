import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { v7 as uuidv7 } from 'uuid';
import { ConfluxError } from '../errors/index.ts';
import { randomPooledBytes } from '../observability/index.ts';
import type { RunRecord } from '../store/index.ts';
import { createQueueMetrics } from './backpressure/queue-metrics.ts';
import { withClaimCheck } from './claim-check/claim-check.ts';
import { decideStart } from './flow-control/admission.ts';
import { collectTrigger } from './flow-control/collect.ts';
import { createFlowRegistry } from './flow-registry.ts';
import { processRun } from './process-run.ts';
import { startQueueSampler } from './queue-sampler.ts';
import { createRunWaiters } from './run-waiters.ts';
import { createScheduler } from './scheduler.ts';
import { CALLBACK_PREFIX, createStepServices } from './step-services.ts';
import { createEventBus } from './triggers/event-bus.ts';
import { createTriggerSources } from './triggers/trigger-sources.ts';
import type { Engine, EngineDeps, StartRunOptions } from './types.ts';
import { createFlowVersions } from './versions/flow-versions.ts';
import { createWorker } from './worker.ts';

const QUEUE_SAMPLE_MS = 5000;
// Runs spend nearly all their time waiting on systems, so a process can hold many at once;
// the systems themselves are protected by their budgets (`limits`), not by this number.
const DEFAULT_CONCURRENCY = 64;

/** The durable integration engine: flows, runs, steps, queue and schedules over one store. */
export function createEngine(deps: EngineDeps): Engine {
  const { logger, metrics } = deps;
  // The engine's view of the store offloads large values (claim check); see claim-check.ts.
  const store = withClaimCheck(deps.store, deps.claimCheckBytes);
  const workerId = deps.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const pollIntervalMs = deps.pollIntervalMs ?? 500;
  const leaseMs = deps.leaseMs ?? 30_000;
  const flows = createFlowRegistry(logger);
  const versions = createFlowVersions(store, flows, logger);
  const queueMetrics = createQueueMetrics(metrics);
  let stopQueueMetrics: (() => void) | undefined;
  const waiters = createRunWaiters(store, pollIntervalMs);
  let stopSampler: (() => void) | undefined;
  let started = false;
  const bus = createEventBus(store, logger);
  let recoverEvents: NodeJS.Timeout | undefined;
  const services = createStepServices({
    store,
    bus,
    waiters,
    httpAllow: deps.httpAllow ?? [],
    callbackSecret: deps.callbackSecret ?? randomBytes(32).toString('hex'),
    startChild: async (flow, input, id, correlationId) => {
      await startRun(flow, input, { triggerType: 'subflow', correlationId, id });
    },
  });

  const worker = createWorker({
    store,
    logger,
    workerId,
    leaseMs,
    pollIntervalMs,
    concurrency: deps.concurrency ?? DEFAULT_CONCURRENCY,
    execute: (run, signal) =>
      processRun(
        {
          ...deps,
          store,
          workerId,
          flows,
          versions,
          waiters,
          services,
          wakeAt: (at) => setTimeout(() => worker.wake(), Math.max(0, at - Date.now())).unref(),
        },
        run,
        signal,
      ),
  });

  async function startRun(flowName: string, input: unknown, options: StartRunOptions) {
    // A fixed id (event, poll item, child run) makes starting idempotent: the run exists once.
    const known = options.id === undefined ? undefined : await store.runs.get(options.id);
    if (known !== undefined) return known;
    const flow = flows.current(flowName);
    if (flow === undefined) {
      throw new ConfluxError('ENGINE_FLOW_NOT_FOUND', `No flow named "${flowName}" is loaded`, {
        details: { flow: flowName },
      });
    }
    await versions.remember(flow.definition);
    // Debounce and batching store the trigger with the run of its key still collecting.
    const collected = await collectTrigger(store, flow, input, options);
    if (collected !== undefined) {
      if (collected.created) queueMetrics.queued(flowName, options.triggerType);
      if (collected.due) worker.wake();
      return collected.run;
    }
    // Time-ordered (UUIDv7): new runs and their steps land at the right edge of the primary-key
    // indexes instead of on random pages, so a commit rewrites few pages. Random bits come from a
    // pool: uuid asks the CSPRNG for 16 bytes per id, 1.5 % of the CPU under load.
    const runId = options.id ?? uuidv7({ random: randomPooledBytes(16) });
    const decision = await decideStart(store, flow, runId, input);
    if (decision.existing !== undefined) {
      const active = await store.runs.get(decision.existing);
      if (active !== undefined) return active;
    }
    // Eager start: a run whose starter waits for it (a sync webhook), due now and without a
    // claim priority, is created leased to this worker and executed at once when a slot is
    // free — no claim query, no queue hop. It is as durable as a claimed run: if this process
    // dies, its lease expires and any worker resumes it.
    const eager =
      options.eager === true &&
      decision.availableAt === undefined &&
      decision.priority === undefined &&
      worker.reserve();
    let run: RunRecord;
    try {
      run = await store.runs.create({
        ...(decision.availableAt === undefined ? {} : { availableAt: decision.availableAt }),
        ...(decision.priority === undefined ? {} : { priority: decision.priority }),
        ...(eager ? { lease: { owner: workerId, expiresAt: Date.now() + leaseMs } } : {}),
        id: runId,
        flow: flowName,
        flowVersion: flow.definition.version,
        triggerType: options.triggerType,
        input: input === undefined ? null : input,
        correlationId: options.correlationId,
      });
    } catch (error) {
      if (eager) worker.release();
      throw error;
    }
    queueMetrics.queued(flowName, options.triggerType);
    if (eager && run.status === 'running') {
      worker.adopt(run);
    } else {
      if (eager) worker.release();
      worker.wake();
    }
    return run;
  }

  const scheduler = createScheduler(store, logger, startRun);
  const triggers = createTriggerSources({ bus, store, systems: deps.systems, logger, startRun });

  return {
    load(flowDefinitions, mappings) {
      const compiled = flows.load(flowDefinitions, mappings);
      scheduler.set(compiled);
      triggers.set(compiled);
    },
    startRun,
    publish: (event) => bus.publish(event),
    async deliverCallback(token, payload) {
      const woken = await store.engine.deliver(`callback:${token}`, payload, Date.now());
      if (woken.length > 0) worker.wake();
      return woken.length > 0;
    },
    callbackPrefix: CALLBACK_PREFIX,
    waitForRun: (runId, timeoutMs) => waiters.wait(runId, timeoutMs, worker.holds(runId)),
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
      await triggers.start();
      // Events whose publisher died before dispatching them are dispatched by a survivor.
      recoverEvents = setInterval(() => {
        bus.recover().catch((error: unknown) => logger.error({ err: error }, 'event recovery failed'));
      }, QUEUE_SAMPLE_MS).unref();
      stopSampler = startQueueSampler(store, metrics, logger, QUEUE_SAMPLE_MS);
      stopQueueMetrics = queueMetrics.start(store, logger, QUEUE_SAMPLE_MS);
      logger.info({ workerId, leaseMs, pollIntervalMs }, 'engine started');
    },
    async stop(timeoutMs) {
      scheduler.stop();
      clearInterval(recoverEvents);
      await triggers.stop();
      stopSampler?.();
      stopQueueMetrics?.();
      started = false;
      await worker.stop(timeoutMs);
      logger.info({ workerId }, 'engine stopped');
    },
  };
}
