import { type Dirent, existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { ConfluxError } from '../errors/index.ts';
import { buildApi } from './build-api.ts';
import { buildFlow } from './build-flow.ts';
import { checkControl } from './build-flow-kinds.ts';
import { buildSettings } from './build-settings.ts';
import { buildSystem } from './build-system.ts';
import { checkReferences, type Loaded } from './check-references.ts';
import type { ApiFile, ConfluxFile, FlowFile, SystemFile } from './file-shapes.ts';
import type {
  ApiDefinition,
  FlowDefinition,
  MappingDefinition,
  Project,
  ProjectProblem,
  ProjectSettings,
  SystemDefinition,
} from './model.ts';
import { schemaProblems } from './schema-problems.ts';
import { type FileKind, validatorFor } from './schema-registry.ts';
import { parseYamlFile, type YamlFile } from './yaml-file.ts';

export interface LoadProjectOptions {
  /** Overrides conflux.yaml's `environment` (the composition root reads it from flags or environment). */
  readonly environment?: string;
  /**
   * Checks that need other modules, e.g. that a route's operation exists in the system's API
   * description. Runs only when the project loaded without problems; its problems are merged.
   */
  readonly extraChecks?: (project: Project) => Promise<readonly ProjectProblem[]>;
}

export interface LoadProjectResult {
  /** Present exactly when `problems` is empty; frozen. */
  readonly project?: Project;
  /** Every problem found, sorted by file, line and column. */
  readonly problems: readonly ProjectProblem[];
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
export const PROJECT_FILE = 'conflux.yaml';

/**
 * Reads, validates and resolves the project in `root`, collecting every problem instead of
 * stopping at the first. Throws PROJECT_NOT_FOUND only when there is no conflux.yaml at all,
 * since then there is no file to point a problem at.
 */
export async function loadProject(
  root: string,
  options: LoadProjectOptions = {},
): Promise<LoadProjectResult> {
  const absoluteRoot = resolve(root);
  if (!existsSync(join(absoluteRoot, PROJECT_FILE))) {
    const message = `No ${PROJECT_FILE} in ${absoluteRoot}; run \`conflux init\` to create a project`;
    throw new ConfluxError('PROJECT_NOT_FOUND', message, { details: { root: absoluteRoot } });
  }
  const problems: ProjectProblem[] = [];
  const read = createReader(absoluteRoot, problems);
  const conflux = await read<ConfluxFile>(PROJECT_FILE, 'conflux');
  const settings: ProjectSettings | undefined =
    conflux.value === undefined ? undefined : buildSettings(conflux.value, options.environment);
  const environment = settings?.environment ?? options.environment ?? environmentOf(conflux.yaml) ?? 'dev';

  const mappings = await loadMappings(absoluteRoot, problems);
  const systems = await loadEntities<SystemFile, SystemDefinition>(
    absoluteRoot,
    'system',
    read,
    problems,
    (file, yaml) => buildSystem(file, yaml, absoluteRoot, environment),
  );
  const apis = await loadEntities<ApiFile, ApiDefinition>(
    absoluteRoot,
    'api',
    read,
    problems,
    (file, yaml) => ({
      value: buildApi(file, yaml),
      problems: [],
    }),
  );
  const flows = await loadEntities<FlowFile, FlowDefinition>(
    absoluteRoot,
    'flow',
    read,
    problems,
    (file, yaml) => ({
      value: buildFlow(file, yaml, mappings, absoluteRoot),
      problems: checkControl(file.control, yaml),
    }),
  );
  const broken = { systems: systems.broken, flows: flows.broken };

  problems.push(
    ...checkReferences({ systems: systems.loaded, apis: apis.loaded, flows: flows.loaded, mappings, broken }),
  );
  if (problems.length > 0 || settings === undefined) return { problems: sortProblems(problems) };

  const project = deepFreeze({
    root: absoluteRoot,
    settings,
    systems: valuesOf(systems.loaded),
    apis: valuesOf(apis.loaded),
    flows: valuesOf(flows.loaded),
    mappings,
  }) as Project;
  const extra = options.extraChecks === undefined ? [] : await options.extraChecks(project);
  return extra.length > 0 ? { problems: sortProblems([...extra]) } : { project, problems: [] };
}

type Reader = <T>(file: string, kind: FileKind) => Promise<{ value?: T; yaml?: YamlFile }>;

/** Parses and validates one file; its problems go to `problems`, its value only when it has none. */
function createReader(root: string, problems: ProjectProblem[]): Reader {
  return async <T>(file: string, kind: FileKind) => {
    const yaml = parseYamlFile(file, await readFile(join(root, file), 'utf8'));
    if (yaml.problems.length > 0) {
      problems.push(...yaml.problems);
      return { yaml };
    }
    const errors = validatorFor(kind)(yaml.value);
    if (errors.length > 0) {
      problems.push(...schemaProblems(errors, yaml));
      return { yaml };
    }
    return { value: yaml.value as T, yaml };
  };
}

const FOLDERS: Readonly<Record<Exclude<FileKind, 'conflux'>, string>> = {
  system: 'systems',
  api: 'apis',
  flow: 'flows',
};

/**
 * Loads every file of one kind. `broken` collects the names of files that failed, so that
 * references to them are not reported as unknown on top of the file's own problems.
 */
async function loadEntities<F extends { readonly name: string }, T>(
  root: string,
  kind: Exclude<FileKind, 'conflux'>,
  read: Reader,
  problems: ProjectProblem[],
  build: (file: F, yaml: YamlFile) => { value?: T; problems: readonly ProjectProblem[] },
): Promise<{ loaded: Map<string, Loaded<T>>; broken: Set<string> }> {
  const loaded = new Map<string, Loaded<T>>();
  const broken = new Set<string>();
  for (const file of await listFiles(root, FOLDERS[kind], ['.yaml', '.yml'])) {
    const { value, yaml } = await read<F>(file, kind);
    if (value === undefined || yaml === undefined) {
      markBroken(broken, file, yaml);
      continue;
    }
    const built = build(value, yaml);
    problems.push(...built.problems, ...checkName(kind, value.name, file, yaml, loaded));
    if (built.value === undefined) broken.add(value.name);
    else if (!loaded.has(value.name)) loaded.set(value.name, { value: built.value, yaml });
  }
  return { loaded, broken };
}

/** mappings/<name>.jsonata, one expression per file; the file name is the mapping's name. */
async function loadMappings(
  root: string,
  problems: ProjectProblem[],
): Promise<Map<string, MappingDefinition>> {
  const mappings = new Map<string, MappingDefinition>();
  for (const file of await listFiles(root, 'mappings', ['.jsonata'])) {
    const name = basename(file, '.jsonata');
    const source = { file, line: 1, column: 1 };
    if (!NAME.test(name)) {
      problems.push({
        ...source,
        rule: 'name',
        message: `mapping file name "${name}" cannot be referenced by a step`,
        found: `"${name}"`,
        expected: 'lowercase letters, digits and dashes, starting with a letter (at most 63 characters)',
      });
      continue;
    }
    mappings.set(name, { name, expression: await readFile(join(root, file), 'utf8'), source });
  }
  return mappings;
}

/**
 * The file's name must be its `name`, so that `flows/x.yaml` is where flow x lives; and a name
 * may be defined once per kind.
 */
function checkName(
  kind: string,
  name: string,
  file: string,
  yaml: YamlFile,
  defined: ReadonlyMap<string, Loaded<unknown>>,
): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  const stem = basename(file, extname(file));
  if (stem !== name) {
    problems.push({
      ...yaml.valueAt(['name']),
      rule: 'name-mismatch',
      message: `name: ${kind} "${name}" is in a file named ${basename(file)}; rename one so that they match`,
      found: `"${name}"`,
      expected: `"${stem}"`,
    });
  }
  const first = defined.get(name);
  if (first !== undefined) {
    const at = first.yaml.valueAt(['name']);
    problems.push({
      ...yaml.valueAt(['name']),
      rule: 'duplicate',
      message: `name: ${kind} "${name}" is already defined at ${at.file}:${at.line}:${at.column}`,
      found: `"${name}"`,
      expected: `a ${kind} name not used by another file`,
    });
  }
  return problems;
}

/** Both the file's stem and the name it declares count as defined, to silence follow-on problems. */
function markBroken(names: Set<string>, file: string, yaml: YamlFile | undefined): void {
  names.add(basename(file, extname(file)));
  const value = yaml?.value;
  if (value !== null && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') {
    names.add((value as { name: string }).name);
  }
}

/** A conflux.yaml that failed its schema may still name its environment; systems resolve against it. */
function environmentOf(yaml: YamlFile | undefined): string | undefined {
  const value = yaml?.value as { environment?: unknown } | undefined;
  return typeof value?.environment === 'string' ? value.environment : undefined;
}

async function listFiles(root: string, folder: string, extensions: readonly string[]): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, folder), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter(
      // `<name>.test.yaml` beside a flow or mapping is its test file (conflux test), not a project file.
      (entry) =>
        entry.isFile() &&
        !entry.name.startsWith('.') &&
        !/\.test\.ya?ml$/.test(entry.name) &&
        extensions.includes(extname(entry.name)),
    )
    .map((entry) => `${folder}/${entry.name}`)
    .sort();
}

function valuesOf<T>(loaded: ReadonlyMap<string, Loaded<T>>): Map<string, T> {
  return new Map([...loaded].map(([name, { value }]) => [name, value]));
}

export function sortProblems(problems: readonly ProjectProblem[]): ProjectProblem[] {
  return [...problems].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column,
  );
}

/** Freezes plain objects and arrays all the way down; Maps stay Maps (typed read-only). */
function deepFreeze<T>(value: T): T {
  if (value instanceof Map) {
    for (const item of value.values()) deepFreeze(item);
    return value;
  }
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
