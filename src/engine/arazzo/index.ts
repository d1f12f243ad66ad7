export { type ArazzoImportOptions, importArazzo } from './import-arazzo.ts';
export type { ArazzoImportResult, ArazzoWarning, ImportedFlow } from './types.ts';
