import { ConfluxError } from '../errors/index.ts';
import type { RunRecord, Store } from '../store/index.ts';

const TERMINAL = new Set(['succeeded', 'failed', 'dead']);
// Small on purpose: each kept run (with its input and output) outlives the young generation
// under load, and a starter normally subscribes before its run can finish.
const RECENT_LIMIT = 100;

export function isFinished(run: RunRecord): boolean {
  return TERMINAL.has(run.status);
}

export interface RunWaiters {
  /** Called by this process's worker when it finishes a run: wakes its waiters at once. */
  notify(run: RunRecord): void;
  /**
   * Resolves with the finished run. `heldHere`: this process executes the run, so its finish
   * arrives by notify(); the store is read only at the poll interval, in case the lease is lost.
   */
  wait(runId: string, timeoutMs: number, heldHere?: boolean): Promise<RunRecord>;
}

/** Listeners by run id; `add` returns its own removal. */
function keyedListeners<T>() {
  const byKey = new Map<string, Set<(value: T) => void>>();
  return {
    add(key: string, listener: (value: T) => void): () => void {
      const set = byKey.get(key) ?? new Set();
      byKey.set(key, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) byKey.delete(key);
      };
    },
    call(key: string, value: T): void {
      for (const listener of byKey.get(key) ?? []) listener(value);
    },
  };
}

/**
 * Waiting for a run: an in-process notification when this process runs it (the sync-webhook
 * hot path, which also hands over the unredacted output); for runs that another process
 * executes, a store read when the store announces the run finished (PostgreSQL), and a poll.
 */
export function createRunWaiters(store: Store, pollIntervalMs: number): RunWaiters {
  // Runs finished by this process, handed over with their unredacted output.
  const finishedHere = keyedListeners<RunRecord>();
  // Store reads owed to waiters whose run another process finished (PostgreSQL notices).
  const announced = keyedListeners<void>();
  let listening = false;
  function onAnnounced(runId: string, read: () => void): () => void {
    if (!listening) {
      listening = true;
      store.runNotices.subscribe((finished) => announced.call(finished, undefined));
    }
    return announced.add(runId, read);
  }
  // Runs this process finished lately, as handed to notify(): a fast run can finish before its
  // starter calls wait(), and that starter still deserves the unredacted output.
  const recent = new Map<string, RunRecord>();

  return {
    notify(run) {
      recent.set(run.id, run);
      if (recent.size > RECENT_LIMIT) recent.delete(recent.keys().next().value ?? '');
      finishedHere.call(run.id, run);
    },
    wait(runId, timeoutMs, heldHere = false) {
      const finished = recent.get(runId);
      if (finished !== undefined) return Promise.resolve(finished);
      return new Promise<RunRecord>((resolve, reject) => {
        let poll: NodeJS.Timeout | undefined;
        let settled = false;
        let stopListening = () => {};
        const settle = (finish: () => void) => {
          if (settled) return;
          settled = true;
          unsubscribe();
          stopListening();
          clearTimeout(deadline);
          clearTimeout(poll);
          finish();
        };
        // Subscribed before the first read, so a finish in between is not missed.
        const unsubscribe = finishedHere.add(runId, (run) => settle(() => resolve(run)));
        const deadline = setTimeout(
          () =>
            settle(() =>
              reject(
                new ConfluxError('ENGINE_RUN_TIMEOUT', `Run ${runId} did not finish within ${timeoutMs} ms`, {
                  details: { runId, timeoutMs },
                }),
              ),
            ),
          timeoutMs,
        );
        const check = async () => {
          if (settled) return;
          clearTimeout(poll);
          try {
            const run = await store.runs.get(runId);
            if (run === undefined) {
              settle(() =>
                reject(
                  new ConfluxError('ENGINE_RUN_NOT_FOUND', `No run with id ${runId}`, { details: { runId } }),
                ),
              );
            } else if (isFinished(run)) {
              settle(() => resolve(run));
            } else if (!settled) {
              clearTimeout(poll);
              poll = setTimeout(check, pollIntervalMs);
            }
          } catch (error) {
            settle(() => reject(error));
          }
        };
        // Read the store as soon as another process announces the run finished (a run started
        // here can still end elsewhere, e.g. after a flow-control requeue), and at the poll
        // interval in case an announcement is lost. A run held here ends through notify().
        stopListening = onAnnounced(runId, () => void check());
        if (heldHere) poll = setTimeout(check, pollIntervalMs);
        else void check();
      });
    },
  };
}
