export { createFileInbox, type FileOutcome, type InboxBatch, type InboxOptions } from './file-inbox.ts';
export { createFileTrigger, type FileFire, type FileTriggerOptions, globPattern } from './file-trigger.ts';
export { type FileFormat, type FileRow, type FixedWidthField, readRecords } from './read-records.ts';
export { type ColumnSpec, type ColumnType, convertRow, type RowError } from './row-schema.ts';
