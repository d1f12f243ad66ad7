import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** The kinds of project file, each with its schema in schemas/<kind>.schema.json. */
export type FileKind = 'conflux' | 'system' | 'api' | 'flow';

export const schemaIds: Readonly<Record<FileKind, string>> = {
  conflux: 'https://conflux.dev/schemas/conflux.schema.json',
  system: 'https://conflux.dev/schemas/system.schema.json',
  api: 'https://conflux.dev/schemas/api.schema.json',
  flow: 'https://conflux.dev/schemas/flow.schema.json',
};

export type Validate = (value: unknown) => readonly ErrorObject[];

let validators: Map<FileKind, ValidateFunction> | undefined;

/** Compiles the four schemas on first use and keeps them for the life of the process. */
export function validatorFor(kind: FileKind): Validate {
  validators ??= compileAll();
  const validate = validators.get(kind);
  if (validate === undefined) throw new Error(`no schema for ${kind}`);
  return (value) => (validate(value) ? [] : (validate.errors ?? []));
}

/** Absolute path of the schemas/ folder shipped with the package. */
export function schemasDirectory(): string {
  // The module runs from src/project (tsx) or dist/src/project (build): walk up to the folder
  // that holds schemas/, instead of hard-coding a depth that differs between the two.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    if (existsSync(join(dir, 'schemas', 'conflux.schema.json'))) return join(dir, 'schemas');
    dir = dirname(dir);
  }
  throw new Error('schemas/ not found above the project module; the package is incomplete');
}

function compileAll(): Map<FileKind, ValidateFunction> {
  // verbose: errors carry their schema, which names the allowed properties and x-expected text.
  // strictRequired is off because `oneOf: [{required: [a]}, {required: [b]}]` is the idiom for
  // "exactly one of", and those branches do not repeat the properties.
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    // `type: [object, boolean]` (a JSON Schema value) and `type: [string, array]` are intended.
    allowUnionTypes: true,
    discriminator: true,
    verbose: true,
  });
  const addFormats = addFormatsModule as unknown as (instance: Ajv2020) => void;
  addFormats(ajv);
  // Our annotation: a human phrase for what a pattern accepts, used in problem messages.
  ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  const dir = schemasDirectory();
  const compiled = new Map<FileKind, ValidateFunction>();
  for (const kind of Object.keys(schemaIds) as FileKind[]) {
    const schema = JSON.parse(readFileSync(join(dir, `${kind}.schema.json`), 'utf8')) as { $id: string };
    compiled.set(kind, ajv.compile(schema));
  }
  return compiled;
}
