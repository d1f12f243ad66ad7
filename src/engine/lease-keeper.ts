import type { Logger } from '../observability/index.ts';
import type { Store } from '../store/index.ts';

/**
 * Renews a run's lease every third of its length while the run executes. When the lease is
 * lost (another worker took the run after we stalled) or cannot be renewed before it would
 * expire, the controller aborts so the executor stops before doing more work.
 */
export function keepLease(
  store: Store,
  runId: string,
  owner: string,
  leaseMs: number,
  controller: AbortController,
  logger: Logger,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let validUntil = Date.now() + leaseMs;

  const renew = async () => {
    const now = Date.now();
    try {
      if (await store.runs.renewLease(runId, owner, leaseMs, now)) {
        validUntil = now + leaseMs;
      } else {
        logger.warn({ runId, owner }, 'lease lost; another worker owns the run now');
        controller.abort(new Error('lease lost'));
        return;
      }
    } catch (error) {
      logger.warn({ runId, err: error }, 'could not renew the lease');
      if (Date.now() >= validUntil) {
        controller.abort(new Error('lease expired'));
        return;
      }
    }
    if (!stopped) timer = setTimeout(renew, leaseMs / 3);
  };
  timer = setTimeout(renew, leaseMs / 3);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
