export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface ColumnSpec {
  readonly name: string;
  readonly type?: ColumnType;
  /** An empty value is an error (default false: empty becomes null). */
  readonly required?: boolean;
}

export interface RowError {
  /** 1-based line of the file (the header is line 1). */
  readonly line: number;
  readonly column?: string;
  readonly message: string;
  /** The raw text of the row, for the error report. */
  readonly raw: string;
}

/** Converts one row's text fields by the column specs; answers the record or the first problem. */
export function convertRow(
  values: readonly string[],
  columns: readonly ColumnSpec[],
): { record: Record<string, unknown> } | { column: string; message: string } {
  if (values.length !== columns.length) {
    return { column: '', message: `has ${values.length} fields; expected ${columns.length}` };
  }
  const record: Record<string, unknown> = {};
  for (const [index, column] of columns.entries()) {
    const text = (values[index] ?? '').trim();
    if (text === '') {
      if (column.required === true) return { column: column.name, message: 'is empty; a value is required' };
      record[column.name] = null;
      continue;
    }
    const converted = convert(text, column.type ?? 'string');
    if (converted === undefined)
      return { column: column.name, message: `"${text.slice(0, 40)}" is not a valid ${column.type}` };
    record[column.name] = converted;
  }
  return { record };
}

function convert(text: string, type: ColumnType): unknown {
  switch (type) {
    case 'string':
      return text;
    case 'integer':
      return /^[-+]?\d+$/.test(text) ? Number(text) : undefined;
    case 'number': {
      const value = Number(text);
      return text !== '' && Number.isFinite(value) ? value : undefined;
    }
    case 'boolean':
      return /^(true|1|yes)$/i.test(text) ? true : /^(false|0|no)$/i.test(text) ? false : undefined;
    case 'date': {
      if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
      const time = Date.parse(text);
      return Number.isNaN(time) ? undefined : text;
    }
  }
}
