/**
 * Backpressure visibility: how many runs wait, how long the oldest due run has waited, and how
 * many runs were queued (intake) next to `conflux_runs_total` (output) — their rates are the
 * throughput in and out, their difference the growth of the backlog.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger, Metrics } from '../../observability/index.ts';
import type { Store } from '../../store/index.ts';

export interface QueueMetrics {
  /** Counts a queued run (startRun). */
  queued(flow: string, triggerType: string): void;
  /** Samples the queue every `intervalMs` until the returned function is called. */
  start(store: Store, logger: Logger, intervalMs: number): () => void;
}

function metric<T>(registry: Registry, name: string, create: () => T): T {
  // Several engines in one process (tests) share a registry: reuse what exists.
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function createQueueMetrics(metrics: Metrics): QueueMetrics {
  const registers = [metrics.registry];
  const oldest = metric(
    metrics.registry,
    'conflux_queue_oldest_age_seconds',
    () =>
      new Gauge({
        name: 'conflux_queue_oldest_age_seconds',
        help: 'How long the oldest due queued run has waited',
        registers,
      }),
  );
  const due = metric(
    metrics.registry,
    'conflux_queue_due_runs',
    () =>
      new Gauge({
        name: 'conflux_queue_due_runs',
        help: 'Runs queued and due now or running',
        labelNames: ['status'],
        registers,
      }),
  );
  const intake = metric(
    metrics.registry,
    'conflux_runs_queued_total',
    () =>
      new Counter({
        name: 'conflux_runs_queued_total',
        help: 'Runs queued (accepted), by flow and trigger type',
        labelNames: ['flow', 'trigger'],
        registers,
      }),
  );
  return {
    queued(flow, triggerType) {
      intake.inc({ flow, trigger: triggerType });
    },
    start(store, logger, intervalMs) {
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      const sample = async () => {
        try {
          const stats = await store.runMaintenance.queueStats(Date.now());
          oldest.set(stats.oldestAgeMs / 1000);
          due.set({ status: 'queued' }, stats.queued);
          due.set({ status: 'running' }, stats.running);
        } catch (error) {
          logger.warn({ err: error }, 'could not sample the queue age');
        }
        if (!stopped) timer = setTimeout(sample, intervalMs).unref();
      };
      void sample();
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    },
  };
}
