import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfluxError } from '../../errors/index.ts';

export type RawDocument = Record<string, unknown>;

export interface ReadDocument {
  readonly document: RawDocument;
  /** '2.0', '3.0.x' or '3.1.x', as the document declares it. */
  readonly specVersion: string;
}

/** The one error for a description that cannot be used, naming the file and what is wrong. */
export function descriptionInvalid(file: string, problem: string, cause?: unknown): ConfluxError {
  return new ConfluxError('SYSTEM_DESCRIPTION_INVALID', `API description ${file}: ${problem}`, {
    details: { file, problem },
    ...(cause === undefined ? {} : { cause }),
  });
}

export function parseText(file: string, text: string): unknown {
  // JSON.parse is an order of magnitude faster than a YAML parser on multi-megabyte documents.
  if (extname(file).toLowerCase() === '.json' || /^\s*\{/.test(text)) {
    try {
      return JSON.parse(text);
    } catch (error) {
      if (extname(file).toLowerCase() === '.json') {
        throw descriptionInvalid(file, `not valid JSON (${(error as Error).message})`, error);
      }
    }
  }
  try {
    // Real documents repeat keys now and then; the last one wins, as in most tools.
    return parseYaml(text, { uniqueKeys: false, maxAliasCount: -1 });
  } catch (error) {
    throw descriptionInvalid(file, `not valid YAML (${(error as Error).message.split('\n')[0]})`, error);
  }
}

/** Reads and parses an OpenAPI 2.0 / 3.0 / 3.1 document and checks the little every reader relies on. */
export async function readDocument(file: string): Promise<ReadDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? (error as Error).message})`;
    throw descriptionInvalid(file, reason, error);
  }
  const document = parseText(file, text);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw descriptionInvalid(file, 'expected an object with an `openapi` or `swagger` field at the top');
  }
  const raw = document as RawDocument;
  const version = raw.openapi ?? raw.swagger;
  if (typeof version !== 'string' && typeof version !== 'number') {
    throw descriptionInvalid(
      file,
      'expected a top-level `openapi: 3.x.y` or `swagger: "2.0"` field; this is not an OpenAPI document',
    );
  }
  const specVersion = String(version);
  if (!/^(2\.0|3\.[01](\.\d+)?)$/.test(specVersion)) {
    throw descriptionInvalid(
      file,
      `OpenAPI version ${specVersion} is not supported; expected 2.0, 3.0.x or 3.1.x`,
    );
  }
  if (raw.swagger !== undefined && specVersion !== '2.0') {
    throw descriptionInvalid(file, `\`swagger: ${specVersion}\` is not supported; expected "2.0"`);
  }
  const paths = raw.paths;
  if (paths !== undefined && (typeof paths !== 'object' || paths === null || Array.isArray(paths))) {
    throw descriptionInvalid(file, '`paths` must be an object of path templates');
  }
  if (paths === undefined && specVersion.startsWith('2')) {
    throw descriptionInvalid(file, 'a Swagger 2.0 document needs a `paths` object');
  }
  return { document: raw, specVersion };
}
