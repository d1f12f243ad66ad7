import type { Logger } from '../../observability/index.ts';
import { createFileInbox, type InboxBatch } from './file-inbox.ts';
import type { FileFormat } from './read-records.ts';

export interface FileTriggerOptions {
  /** The watched folder; `archive/` and `error/` are made inside it. */
  readonly dir: string;
  /** File names picked up: a glob such as `*.csv` (`*` and `?`, case-insensitive). */
  readonly pattern: string;
  readonly format: FileFormat;
  /** One run per good record, per batch of `batchSize` records, or per file. */
  readonly per: 'record' | 'batch' | 'file';
  readonly batchSize: number;
  readonly everyMs: number;
  readonly settleMs: number;
  readonly logger: Logger;
}

/**
 * What a fire carries besides the run input: `key` names the rows it holds (file content and
 * first line), so a file read again after a crash — before it was moved — starts no second run.
 */
export type FileFire = (input: unknown, meta: { readonly key: string }) => Promise<void>;

/** `*.csv` → /^[^/]*\.csv$/i: the globs drop folders are described with. */
export function globPattern(glob: string): RegExp {
  const source = glob
    .split('')
    .map((char) =>
      char === '*' ? '[^/]*' : char === '?' ? '[^/]' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`, 'i');
}

function inputOf(per: FileTriggerOptions['per'], batch: InboxBatch): unknown {
  const records = batch.rows.map((row) => row.record);
  if (per === 'file') return { file: batch.file, records, errors: batch.errors };
  const lines = { from: batch.rows[0]?.line ?? 0, to: batch.rows.at(-1)?.line ?? 0 };
  return { file: batch.file, batch: batch.index, lines, records };
}

/**
 * A watched drop folder as a flow trigger: each settled file is streamed; its good rows start
 * runs (per record `{ file, line, record }`, per batch `{ file, batch, lines, records }`, per
 * file `{ file, records, errors }`); bad rows and rows whose run could not be stored go to
 * `error/<file>.errors.csv`; the file then moves to `archive/` (or `error/`). A run is stored
 * before the file moves, so a crash in between re-reads the file and the keys dedupe.
 */
export function createFileTrigger(options: FileTriggerOptions) {
  let inbox: ReturnType<typeof createFileInbox> | undefined;
  return {
    start(fire: FileFire): Promise<void> {
      const batchSize = options.per === 'record' ? 1 : options.per === 'batch' ? options.batchSize : Infinity;
      inbox = createFileInbox({
        dir: options.dir,
        pattern: globPattern(options.pattern),
        format: options.format,
        logger: options.logger,
        pollMs: options.everyMs,
        settleMs: options.settleMs,
        batchSize,
        onBatch: async (batch) => {
          const first = batch.rows[0];
          if (options.per === 'record' && first !== undefined) {
            await fire(
              { file: batch.file, line: first.line, record: first.record },
              {
                key: `${batch.fileKey}#${first.line}`,
              },
            );
            return;
          }
          await fire(inputOf(options.per, batch), { key: `${batch.fileKey}#${first?.line ?? 0}` });
        },
      });
      inbox.start();
      return Promise.resolve();
    },
    async stop(): Promise<void> {
      await inbox?.stop();
      inbox = undefined;
    },
  };
}
