import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/** How often the background thread copies the WAL back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 1000;
/** A WAL that the thread could not keep small is truncated to this size once it has been copied. */
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

// CommonJS, evaluated in the worker thread: its own connection to the same file, a PASSIVE
// checkpoint per interval (it never takes the write lock, so the server's commits go on).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the thread; the last connection to close checkpoints what is left. */
  stop(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the connection that commits
 * also checkpoints once the WAL passes 1000 pages: under the engine's write rate that was
 * several stalls a second of 5–15 ms each (copying pages, fsync of the database file), in the
 * middle of request handling. With this running, the serving connection never checkpoints
 * itself (`wal_autocheckpoint = 0`) and a worker thread does it every second instead.
 */
export function startCheckpointer(
  database: SqliteDatabase.Database,
  path: string,
  onError: (problem: string) => void,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  database.pragma('wal_autocheckpoint = 0');
  database.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, path, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  worker.unref();
  let stopped: Promise<void> | undefined;
  let exited = false;
  worker.on('message', (message: { error?: string }) => {
    if (message.error !== undefined) onError(`WAL checkpoint failed: ${message.error}`);
  });
  worker.on('error', (error) => onError(`WAL checkpoint thread failed: ${error.message}`));
  worker.on('exit', () => {
    exited = true;
    // Without the thread, commits checkpoint again as by default, so the WAL cannot grow unbounded.
    if (stopped === undefined && database.open) database.pragma('wal_autocheckpoint = 1000');
  });
  return {
    stop() {
      // A thread that already died has nothing to stop (waiting for its exit would never end).
      if (exited) stopped ??= Promise.resolve();
      stopped ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        // Held until it has closed its connection: the process may be about to exit.
        worker.ref();
        worker.postMessage('stop');
      });
      return stopped;
    },
  };
}
