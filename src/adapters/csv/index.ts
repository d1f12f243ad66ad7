export { createFileInbox, type FileOutcome, type InboxOptions } from './file-inbox.ts';
export { type FileFormat, type FileRow, type FixedWidthField, readRecords } from './read-records.ts';
export { type ColumnSpec, type ColumnType, convertRow, type RowError } from './row-schema.ts';
