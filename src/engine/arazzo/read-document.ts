import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ConfluxError } from '../../errors/index.ts';
import { isJson, type Json } from './types.ts';

/**
 * Reads an Arazzo 1.0 document (YAML or JSON) and checks the parts every import needs, with
 * guard clauses that name the JSON pointer of what is wrong.
 */
export async function readArazzoDocument(file: string): Promise<Json> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw invalid(file, '', `cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, cause);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (cause) {
    throw invalid(file, '', `is neither YAML nor JSON: ${(cause as Error).message}`, cause);
  }
  if (!isJson(document))
    throw invalid(file, '', 'must be an object with arazzo, info, sourceDescriptions and workflows');
  if (typeof document.arazzo !== 'string' || !/^1\.0\.\d+$/.test(document.arazzo)) {
    throw invalid(
      file,
      '/arazzo',
      `must name Arazzo version 1.0.x, found ${JSON.stringify(document.arazzo ?? null)}`,
    );
  }
  if (!Array.isArray(document.sourceDescriptions) || document.sourceDescriptions.length === 0) {
    throw invalid(file, '/sourceDescriptions', 'must be a non-empty array of { name, url, type }');
  }
  if (!Array.isArray(document.workflows) || document.workflows.length === 0) {
    throw invalid(file, '/workflows', 'must be a non-empty array of workflows');
  }
  return document;
}

export function invalid(file: string, pointer: string, message: string, cause?: unknown): ConfluxError {
  return new ConfluxError('ENGINE_ARAZZO_INVALID', `${file}#${pointer}: ${message}`, {
    details: { file, pointer },
    ...(cause === undefined ? {} : { cause }),
  });
}
