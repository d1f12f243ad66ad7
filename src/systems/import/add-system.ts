import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ConfluxError } from '../../errors/index.ts';
import { loadSystemDescription } from '../description/load-system-description.ts';
import { detectDescriptionKind } from './detect-kind.ts';

export interface AddSystemOptions {
  readonly projectRoot: string;
  readonly name: string;
  /** The API description to import: OpenAPI 2/3.x, AsyncAPI 2/3, WSDL 1.1 or a FHIR R4 CapabilityStatement. */
  readonly from: string;
  /** Where the system lives; default `mock` (served from the description). */
  readonly baseUrl?: string;
  readonly description?: string;
  /** Replace an existing systems/<name>.yaml. */
  readonly force?: boolean;
}

export interface AddSystemResult {
  readonly systemFile: string;
  readonly specFile: string;
  readonly kind: 'openapi' | 'asyncapi' | 'wsdl' | 'fhir';
  readonly title: string;
  readonly operations: readonly string[];
  readonly warnings: readonly { readonly pointer: string; readonly message: string }[];
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const RELATIVE_REF = /\$ref["']?\s*:\s*["']?(?!#|https?:)[^\s"'#]+/;

/**
 * `conflux system add`: reads the description first (so a broken one writes nothing), copies it
 * into specs/ (with its folder when it has relative-file references) and writes systems/<name>.yaml
 * pointing at it. Returns every operation name and every warning by JSON pointer.
 */
export async function addSystem(options: AddSystemOptions): Promise<AddSystemResult> {
  if (!NAME.test(options.name)) {
    throw new ConfluxError(
      'SYSTEM_IMPORT_FAILED',
      `System name "${options.name}" is not valid; expected lowercase letters, digits and dashes, starting with a letter.`,
      {
        details: { name: options.name },
      },
    );
  }
  const source = resolve(options.from);
  const systemFile = join(options.projectRoot, 'systems', `${options.name}.yaml`);
  if (existsSync(systemFile) && options.force !== true) {
    throw new ConfluxError(
      'SYSTEM_IMPORT_FAILED',
      `${relative(options.projectRoot, systemFile)} already exists; pass --force to replace it.`,
      {
        details: { file: systemFile },
      },
    );
  }
  const kind = await detectDescriptionKind(source);
  const description = await loadSystemDescription(source);

  const specs = join(options.projectRoot, 'specs');
  mkdirSync(specs, { recursive: true });
  let specFile: string;
  if (kind !== 'wsdl' && RELATIVE_REF.test(readFileSync(source, 'utf8'))) {
    // Relative references must keep resolving: copy the folder that holds the document and
    // every file it references (they may sit above it: `../common/Error.yaml`), layout kept.
    const root = commonFolder(referencedFiles(source));
    const folder = join(specs, options.name);
    cpSync(root, folder, { recursive: true });
    specFile = join(folder, relative(root, source));
  } else {
    const extension = extname(source).toLowerCase() || (kind === 'wsdl' ? '.wsdl' : '.yaml');
    specFile = join(
      specs,
      extension === '.wsdl' ? `${options.name}.wsdl` : `${options.name}.${kind}${extension}`,
    );
    cpSync(source, specFile);
  }

  const summary = options.description ?? description.title;
  const file: Record<string, unknown> = {
    name: options.name,
    ...(summary === '' ? {} : { description: summary.split('\n')[0] }),
    [kind]: relative(dirname(systemFile), specFile).split('\\').join('/'),
    baseUrl: options.baseUrl ?? 'mock',
  };
  mkdirSync(dirname(systemFile), { recursive: true });
  const header = '# yaml-language-server: $schema=https://conflux.dev/schemas/system.schema.json\n';
  const notes =
    description.warnings.length === 0
      ? ''
      : `# ${description.warnings.length} import warning(s): see \`conflux system add --json\` or docs/connectors.md\n`;
  writeFileSync(systemFile, `${header}${notes}${stringify(file)}`);
  return {
    systemFile,
    specFile,
    kind,
    title: description.title,
    operations: [...description.operations.keys()],
    warnings: description.warnings,
  };
}

const MAX_FILES = 500;

/** The document and every file reachable through relative-file `$ref`s (bounded). */
function referencedFiles(source: string): string[] {
  const seen = new Set<string>([source]);
  const queue = [source];
  while (queue.length > 0 && seen.size < MAX_FILES) {
    const file = queue.shift() as string;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const match of text.matchAll(/\$ref["']?\s*:\s*["']?([^\s"'#]+)/g)) {
      const target = match[1] ?? '';
      if (/^[a-z]+:/i.test(target)) continue;
      const path = resolve(dirname(file), target);
      if (!seen.has(path) && existsSync(path)) {
        seen.add(path);
        queue.push(path);
      }
    }
  }
  return [...seen];
}

function commonFolder(files: readonly string[]): string {
  let common = dirname(files[0] ?? '.');
  for (const file of files) {
    while (relative(common, file).startsWith('..')) common = dirname(common);
  }
  return common;
}
