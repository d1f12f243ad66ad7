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
  /** Called per good record; a throw counts as that row's error. */
  onRecord(record: Record<string, unknown>, context: { file: string; line: number }): Promise<void>;
  readonly logger: Logger;
  /** How often the folder is scanned (default 1 s). */
  readonly pollMs?: number;
  /** A file is taken once its size has not changed for this long (default 500 ms): still being written otherwise. */
  readonly settleMs?: number;
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
  const archive = join(options.dir, 'archive');
  const errors = join(options.dir, 'error');
  mkdirSync(archive, { recursive: true });
  mkdirSync(errors, { recursive: true });
  const sizes = new Map<string, { size: number; since: number }>();
  let timer: NodeJS.Timeout | undefined;
  let busy: Promise<void> = Promise.resolve();

  async function processFile(path: string): Promise<FileOutcome> {
    const name = basename(path);
    const rowErrors: RowError[] = [];
    let records = 0;
    for await (const row of readRecords(path, options.format)) {
      if ('error' in row) {
        rowErrors.push(row.error);
        continue;
      }
      try {
        await options.onRecord(row.record, { file: name, line: row.line });
        records += 1;
      } catch (error) {
        rowErrors.push({
          line: row.line,
          message: error instanceof Error ? error.message : String(error),
          raw: JSON.stringify(row.record),
        });
      }
    }
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
