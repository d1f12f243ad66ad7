import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { type ColumnSpec, convertRow, type RowError } from './row-schema.ts';

export interface FixedWidthField extends ColumnSpec {
  /** 0-based start offset in the line. */
  readonly start: number;
  readonly length: number;
}

export type FileFormat =
  | {
      readonly kind: 'csv';
      readonly columns: readonly ColumnSpec[];
      readonly delimiter?: string;
      readonly header?: boolean;
    }
  | { readonly kind: 'fixed-width'; readonly fields: readonly FixedWidthField[] };

export type FileRow =
  | { readonly line: number; readonly record: Record<string, unknown> }
  | { readonly line: number; readonly error: RowError };

/**
 * Streams a CSV or fixed-width file row by row, converted by its column specs. A bad row is
 * yielded as an error (line, column, message, raw text) and reading goes on: one broken line
 * never fails the file. Memory stays flat whatever the file size.
 */
export async function* readRecords(path: string, format: FileFormat): AsyncGenerator<FileRow> {
  if (format.kind === 'fixed-width') {
    const lines = createInterface({
      input: createReadStream(path, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    let line = 0;
    for await (const text of lines) {
      line += 1;
      if (text.trim() === '') continue;
      const width = Math.max(...format.fields.map((field) => field.start + field.length));
      if (text.length < width) {
        yield {
          line,
          error: { line, message: `is ${text.length} characters; expected at least ${width}`, raw: text },
        };
        continue;
      }
      const result = convertRow(
        format.fields.map((field) => text.slice(field.start, field.start + field.length)),
        format.fields,
      );
      yield 'record' in result
        ? { line, record: result.record }
        : { line, error: { line, column: result.column, message: result.message, raw: text } };
    }
    return;
  }
  const parser = createReadStream(path).pipe(
    parse({
      delimiter: format.delimiter ?? ',',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
      info: true,
      raw: true,
      from_line: format.header === false ? 1 : 2,
    }),
  );
  for await (const entry of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
    raw: string;
  }>) {
    const line = entry.info.lines;
    const raw = entry.raw.replace(/\r?\n$/, '');
    const result = convertRow(entry.record, format.columns);
    yield 'record' in result
      ? { line, record: result.record }
      : { line, error: { line, column: result.column, message: result.message, raw } };
  }
}
