import type { Logger, Metrics } from '../observability/index.ts';
import type { Store } from '../store/index.ts';

/** Samples run counts by status into the queueDepth gauge every `intervalMs`. */
export function startQueueSampler(
  store: Store,
  metrics: Metrics,
  logger: Logger,
  intervalMs: number,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const sample = async () => {
    try {
      const counts = await store.runs.countByStatus();
      for (const [status, count] of Object.entries(counts)) metrics.queueDepth.set({ status }, count);
    } catch (error) {
      logger.warn({ err: error }, 'could not sample the run queue depth');
    }
    if (!stopped) timer = setTimeout(sample, intervalMs).unref();
  };
  void sample();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
