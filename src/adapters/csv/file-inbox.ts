import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from '../../observability/index.ts';
import { type FileFormat, readRecords } from './read-records.ts';
import type { RowError } from './row-schema.ts';

export interface InboxOptions {
  /** The drop folder; `archive/` and `error/` are created inside it. */
  readonly dir: string;
  /** Which files are picked up, e.g. /\.csv$/i. */
  readonly pattern: RegExp;
  readonly format: FileFormat;
  /** Called per good record; a throw counts as that row's error. Give this or `onBatch`. */
  onRecord?(record: Record<string, unknown>, context: { file: string; line: number }): Promise<void>;
  /**
   * Called per batch of good records instead: `batchSize` rows (the last batch of a file may be
   * shorter; unbounded: one batch per file). A throw counts as an error of each of its rows.
   */
  onBatch?(batch: InboxBatch): Promise<void>;
  /** Rows per `onBatch` call (default: the whole file). */
  readonly batchSize?: number;
  readonly logger: Logger;
  /** How often the folder is scanned (default 1 s). */
  readonly pollMs?: number;
  /** A file is taken once its size has not changed for this long (default 500 ms): still being written otherwise. */
  readonly settleMs?: number;
}

export interface InboxBatch {
  readonly file: string;
  /** Names this file's content: name, size and modification time (a re-read of it is recognised). */
  readonly fileKey: string;
  /** 0-based number of the batch within the file. */
  readonly index: number;
  readonly rows: readonly { readonly line: number; readonly record: Record<string, unknown> }[];
  /** Rows that failed so far (all of the file's, for the batch that ends the file). */
  readonly errors: readonly RowError[];
}

export interface FileOutcome {
  readonly file: string;
  readonly records: number;
  readonly errors: readonly RowError[];
  /** Where the file went: archive/ (read to the end) or error/ (nothing usable). */
  readonly movedTo: string;
  /** The error report (CSV: line,column,message,raw), when any row failed. */
  readonly report?: string;
}

/**
 * A watched drop folder: each settled file matching the pattern is streamed row by row; good rows
 * go to `onRecord`, bad rows are collected into `error/<file>.errors.csv`. A file with at least
 * one good row is moved to `archive/`, one without any to `error/`. Files are handled one at a
 * time, oldest first; a restart picks up whatever is still in the folder.
 */
export function createFileInbox(options: InboxOptions) {
  const deliver = batchDelivery(options);
  const batchSize = options.onBatch === undefined ? 1 : (options.batchSize ?? Number.POSITIVE_INFINITY);
  const archive = join(options.dir, 'archive');
  const errors = join(options.dir, 'error');
  mkdirSync(archive, { recursive: true });
  mkdirSync(errors, { recursive: true });
  const sizes = new Map<string, { size: number; since: number }>();
  let timer: NodeJS.Timeout | undefined;
  let busy: Promise<void> = Promise.resolve();

  async function processFile(path: string): Promise<FileOutcome> {
    const name = basename(path);
    const stat = statSync(path);
    const fileKey = `${name}:${stat.size}:${Math.floor(stat.mtimeMs)}`;
    const rowErrors: RowError[] = [];
    let records = 0;
    let pending: { line: number; record: Record<string, unknown> }[] = [];
    let index = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      const rows = pending;
      pending = [];
      try {
        await deliver({ file: name, fileKey, index, rows, errors: [...rowErrors] });
        records += rows.length;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        for (const row of rows) rowErrors.push({ line: row.line, message, raw: JSON.stringify(row.record) });
      }
      index += 1;
    };
    for await (const row of readRecords(path, options.format)) {
      if ('error' in row) rowErrors.push(row.error);
      else pending.push(row);
      if (pending.length >= batchSize) await flush();
    }
    await flush();
    let report: string | undefined;
    if (rowErrors.length > 0) {
      report = join(errors, `${name}.errors.csv`);
      const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
      writeFileSync(
        report,
        `line,column,message,raw\n${rowErrors.map((e) => [e.line, quote(e.column ?? ''), quote(e.message), quote(e.raw)].join(',')).join('\n')}\n`,
      );
    }
    const movedTo = join(records > 0 ? archive : errors, name);
    renameSync(path, movedTo);
    options.logger.info({ file: name, records, errors: rowErrors.length, movedTo }, 'inbox file processed');
    return { file: name, records, errors: rowErrors, movedTo, ...(report === undefined ? {} : { report }) };
  }

  /** Files that are complete: matched, and the same size for settleMs. */
  function settledFiles(): string[] {
    const now = Date.now();
    const ready: string[] = [];
    for (const entry of readdirSync(options.dir)) {
      const path = join(options.dir, entry);
      if (!options.pattern.test(entry)) continue;
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat === undefined || !stat.isFile()) continue;
      const seen = sizes.get(path);
      if (seen === undefined || seen.size !== stat.size) sizes.set(path, { size: stat.size, since: now });
      else if (now - seen.since >= (options.settleMs ?? 500)) ready.push(path);
    }
    return ready.sort((a, b) => (statSync(a).mtimeMs ?? 0) - (statSync(b).mtimeMs ?? 0));
  }

  const scan = async (): Promise<FileOutcome[]> => {
    const outcomes: FileOutcome[] = [];
    for (const path of settledFiles()) {
      sizes.delete(path);
      outcomes.push(await processFile(path));
    }
    return outcomes;
  };

  return {
    /** Reads one file now, whatever the folder (tests, `conflux` one-shot imports). */
    processFile,
    /** One pass over the folder. */
    scan,
    start(onOutcome?: (outcome: FileOutcome) => void): void {
      timer = setInterval(() => {
        busy = busy
          .then(async () => {
            for (const outcome of await scan()) onOutcome?.(outcome);
          })
          .catch((error: unknown) =>
            options.logger.error({ err: error, dir: options.dir }, 'inbox scan failed'),
          );
      }, options.pollMs ?? 1000);
    },
    async stop(): Promise<void> {
      if (timer !== undefined) clearInterval(timer);
      await busy;
    },
  };
}

/** One delivery function for both styles: per record (a batch of one) or per batch. */
function batchDelivery(options: InboxOptions): (batch: InboxBatch) => Promise<void> {
  const { onBatch, onRecord } = options;
  if (onBatch !== undefined) return (batch) => onBatch(batch);
  if (onRecord === undefined) throw new Error('createFileInbox needs onRecord or onBatch');
  return async (batch) => {
    for (const row of batch.rows) await onRecord(row.record, { file: batch.file, line: row.line });
  };
}
