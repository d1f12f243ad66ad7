import type { Logger } from '../observability/index.ts';
import type { FlowDefinition, MappingDefinition } from '../project/index.ts';
import { type CompiledFlow, compileFlow } from './compile-flow.ts';

export interface FlowRegistry {
  /** Compiles all flows; throws (and keeps the previous set) if any does not compile. */
  load(
    flows: ReadonlyMap<string, FlowDefinition>,
    mappings: ReadonlyMap<string, MappingDefinition>,
  ): CompiledFlow[];
  current(name: string): CompiledFlow | undefined;
  /** The version a run started on; the current one, with a warning, when that version is gone. */
  forRun(name: string, version: string): CompiledFlow | undefined;
}

/**
 * Current flows by name plus every version loaded since start, by version hash. Old versions
 * live in memory only: after a restart, a run whose version is no longer the file's continues
 * on the current definition (completed steps are still skipped by id) and a warning says so.
 * Superseded versions are a few compiled ASTs each; a process reloads rarely enough that
 * keeping them all is cheaper than tracking which are still in use.
 */
export function createFlowRegistry(logger: Logger): FlowRegistry {
  let current = new Map<string, CompiledFlow>();
  const versions = new Map<string, CompiledFlow>();
  return {
    load(flows, mappings) {
      const next = new Map<string, CompiledFlow>();
      for (const [name, flow] of flows) next.set(name, compileFlow(flow, mappings));
      current = next;
      for (const flow of next.values()) versions.set(flow.definition.version, flow);
      return [...next.values()];
    },
    current(name) {
      return current.get(name);
    },
    forRun(name, version) {
      const exact = versions.get(version);
      if (exact !== undefined && exact.definition.name === name) return exact;
      const fallback = current.get(name);
      if (fallback !== undefined) {
        logger.warn(
          { flow: name, runVersion: version, currentVersion: fallback.definition.version },
          'the version this run started on is not loaded in this process; continuing on the current definition',
        );
      }
      return fallback;
    },
  };
}
