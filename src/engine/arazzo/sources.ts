import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Project, SystemDefinition } from '../../project/index.ts';
import { loadSystemDescription, type Operation, type SystemDescription } from '../../systems/index.ts';
import { appendPointer, pointerTokens } from './json-path.ts';
import { type ConvertIssues, isJson } from './types.ts';

/** An Arazzo source description and the project system it stands for. */
interface Source {
  readonly name: string;
  readonly pointer: string;
  readonly type: string;
  readonly system?: SystemDefinition;
}

/** The system and operation a step calls. */
export interface ResolvedOperation {
  readonly system: string;
  readonly operation: Operation;
}

export interface SourceIndex {
  /** Resolves a step's `operationId` or `operationPath` (pointer: the step) to a system operation. */
  operation(
    step: { operationId?: unknown; operationPath?: unknown },
    pointer: string,
  ): Promise<ResolvedOperation>;
  /** Whether `name` is a source description of type arazzo (its workflows cannot be imported). */
  isArazzo(name: string): boolean;
}

/**
 * Maps each source description to a system of the project: by file (the description's url,
 * relative to the Arazzo document, is the system's `openapi` file) or else by name (a system
 * named like the source). A source no step uses may stay unmapped; a step that uses one fails
 * the import, naming the source's pointer.
 */
export function indexSources(
  descriptions: readonly unknown[],
  arazzoFile: string,
  project: Project,
  issues: ConvertIssues,
): SourceIndex {
  const byFile = new Map<string, SystemDefinition>();
  for (const system of project.systems.values()) byFile.set(canonical(system.descriptionFile), system);
  const sources = new Map<string, Source>();
  descriptions.forEach((entry, index) => {
    const pointer = `/sourceDescriptions/${index}`;
    if (!isJson(entry) || typeof entry.name !== 'string' || typeof entry.url !== 'string') {
      throw issues.invalid(pointer, 'a source description needs a name and a url');
    }
    const type = typeof entry.type === 'string' ? entry.type : 'openapi';
    let system: SystemDefinition | undefined;
    if (type === 'openapi') {
      const local = /^[a-z][a-z0-9+.-]*:/i.test(entry.url)
        ? undefined
        : resolve(dirname(arazzoFile), entry.url);
      system =
        (local === undefined ? undefined : byFile.get(canonical(local))) ?? project.systems.get(entry.name);
    }
    sources.set(entry.name, { name: entry.name, pointer, type, ...(system === undefined ? {} : { system }) });
  });
  const loaded = new Map<string, Promise<SystemDescription>>();
  const describe = (system: SystemDefinition) => {
    let description = loaded.get(system.name);
    if (description === undefined) {
      description = loadSystemDescription(system.descriptionFile);
      loaded.set(system.name, description);
    }
    return description;
  };

  const systemOf = (source: Source, stepPointer: string): SystemDefinition => {
    if (source.type !== 'openapi') {
      throw issues.invalid(
        stepPointer,
        `source description "${source.name}" (${source.pointer}) is of type ${source.type}; a step can call only openapi sources`,
      );
    }
    if (source.system === undefined) {
      const known = [...project.systems.keys()].join(', ') || 'none';
      throw issues.invalid(
        source.pointer,
        `source description "${source.name}" matches no system of the project (by openapi file or by name; systems: ${known}); add one with \`conflux system add\` or rename the source (used by ${stepPointer})`,
      );
    }
    return source.system;
  };

  const byOperationId = async (operationId: string, pointer: string): Promise<ResolvedOperation> => {
    const qualified = /^\$sourceDescriptions\.([^.]+)\.(.+)$/.exec(operationId);
    const candidates =
      qualified === null
        ? [...sources.values()].filter((s) => s.type === 'openapi')
        : [sourceNamed(qualified[1] ?? '', pointer)];
    const wanted = qualified === null ? operationId : (qualified[2] ?? '');
    const found: ResolvedOperation[] = [];
    for (const source of candidates) {
      const system =
        candidates.length === 1 || source.system !== undefined ? systemOf(source, pointer) : undefined;
      if (system === undefined) continue;
      const operation = (await describe(system)).operations.get(wanted);
      if (operation !== undefined) found.push({ system: system.name, operation });
    }
    if (found.length === 1 && found[0] !== undefined) return found[0];
    if (found.length > 1) {
      throw issues.invalid(
        `${pointer}/operationId`,
        `operationId "${wanted}" exists in ${found.map((f) => f.system).join(' and ')}; qualify it as $sourceDescriptions.<name>.${wanted}`,
      );
    }
    const unmapped = candidates.find((source) => source.system === undefined);
    if (unmapped !== undefined) systemOf(unmapped, pointer);
    throw issues.invalid(
      `${pointer}/operationId`,
      `no operation "${wanted}" in ${candidates.map((s) => s.system?.name ?? s.name).join(', ')}`,
    );
  };

  const byOperationPath = async (operationPath: string, pointer: string): Promise<ResolvedOperation> => {
    const match = /^\{\$sourceDescriptions\.([^.}]+)\.url\}#(.*)$/.exec(operationPath);
    if (match === null) {
      throw issues.invalid(
        `${pointer}/operationPath`,
        'expected {$sourceDescriptions.<name>.url}#/paths/<escaped path>/<method>',
      );
    }
    const system = systemOf(sourceNamed(match[1] ?? '', pointer), pointer);
    const tokens = pointerTokens(match[2] ?? '');
    const [paths, path, method] = tokens;
    if (tokens.length !== 3 || paths !== 'paths' || path === undefined || method === undefined) {
      throw issues.invalid(
        `${pointer}/operationPath`,
        `"${match[2]}" does not point at an operation (#/paths/<path>/<method>)`,
      );
    }
    for (const operation of (await describe(system)).operations.values()) {
      if (operation.path === path && operation.method === method.toUpperCase())
        return { system: system.name, operation };
    }
    throw issues.invalid(`${pointer}/operationPath`, `${system.name} has no ${method.toUpperCase()} ${path}`);
  };

  const sourceNamed = (name: string, pointer: string): Source => {
    const source = sources.get(name);
    if (source === undefined) throw issues.invalid(pointer, `no source description named "${name}"`);
    return source;
  };

  return {
    operation(step, pointer) {
      if (typeof step.operationPath === 'string') {
        if (step.operationId !== undefined)
          issues.warn(appendPointer(pointer, 'operationId'), 'ignored: operationPath is used');
        return byOperationPath(step.operationPath, pointer);
      }
      if (typeof step.operationId === 'string') return byOperationId(step.operationId, pointer);
      return Promise.reject(issues.invalid(pointer, 'a step needs operationId, operationPath or workflowId'));
    },
    isArazzo: (name) => sources.get(name)?.type === 'arazzo',
  };
}

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
