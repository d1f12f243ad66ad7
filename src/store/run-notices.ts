import pg from 'pg';

/** PostgreSQL channel on which a finished run's id is announced (see run-repository finish). */
export const RUN_FINISHED_CHANNEL = 'conflux_run_finished';
// After a lost listening connection, how long before listening again.
const RELISTEN_MS = 1000;

export interface RunNotices {
  /**
   * Calls `listener` with the id of every run that another process finishes, as soon as the
   * store announces it (PostgreSQL LISTEN/NOTIFY). Best effort: a notice lost while the
   * listening connection is down is not repeated, so callers still poll, only less urgently.
   * On SQLite one process executes every run and announces nothing.
   */
  subscribe(listener: (runId: string) => void): () => void;
  close(): Promise<void>;
}

export const NO_RUN_NOTICES: RunNotices = {
  subscribe: () => () => {},
  close: async () => {},
};

/** One dedicated connection, opened on the first subscription and re-opened when it drops. */
export function createPostgresRunNotices(url: string): RunNotices {
  const listeners = new Set<(runId: string) => void>();
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;

  function listen(): void {
    if (closed || client !== undefined || listeners.size === 0) return;
    const current = new pg.Client({ connectionString: url });
    client = current;
    const lost = () => {
      if (client !== current) return;
      client = undefined;
      current.end().catch(() => {});
      if (!closed) retry = setTimeout(listen, RELISTEN_MS).unref();
    };
    current.on('error', lost);
    current.on('end', lost);
    current.on('notification', (notice) => {
      if (notice.channel !== RUN_FINISHED_CHANNEL || notice.payload === undefined) return;
      for (const listener of listeners) listener(notice.payload);
    });
    current
      .connect()
      .then(() => current.query(`LISTEN ${RUN_FINISHED_CHANNEL}`))
      .catch(lost);
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      listen();
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
