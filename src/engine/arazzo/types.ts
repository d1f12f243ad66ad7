import type { ConfluxError } from '../../errors/index.ts';

/** A plain JSON object as read from the Arazzo document. */
export type Json = Record<string, unknown>;

/** Something the import could not carry over, named by its JSON pointer in the Arazzo document. */
export interface ArazzoWarning {
  readonly pointer: string;
  readonly message: string;
}

/** One workflow written as a flow. */
export interface ImportedFlow {
  readonly workflowId: string;
  /** The flow name (the workflowId, made lowercase-with-dashes when it is not already). */
  readonly name: string;
  /** Path of the flow file relative to the project root, e.g. `flows/adopt-pet.yaml`. */
  readonly file: string;
  /** The flow file's YAML. */
  readonly yaml: string;
  /** The flow as data (what `yaml` says). */
  readonly flow: Json;
}

export interface ArazzoImportResult {
  readonly flows: readonly ImportedFlow[];
  readonly warnings: readonly ArazzoWarning[];
}

/** Collects warnings while converting; `invalid` builds the error that stops the import. */
export interface ConvertIssues {
  warn(pointer: string, message: string): void;
  invalid(pointer: string, message: string, cause?: unknown): ConfluxError;
}

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
