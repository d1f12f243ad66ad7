/**
 * Flow versions outlive the process: each version's definition is stored (`flow_versions`,
 * keyed by the version hash) before its first run is queued, so a run that started on version
 * A finishes on A even after a restart and a change of the file.
 */
import type { Logger } from '../../observability/index.ts';
import type { FlowDefinition } from '../../project/index.ts';
import type { Store } from '../../store/index.ts';
import { type CompiledFlow, compileFlow } from '../compile-flow.ts';
import type { FlowRegistry } from '../flow-registry.ts';

export interface FlowVersions {
  /** Stores the version's definition unless this process already did. */
  remember(flow: FlowDefinition): Promise<void>;
  /** The flow a run started on: loaded in this process, else compiled from the store. */
  resolve(name: string, version: string): Promise<CompiledFlow | undefined>;
}

const NO_MAPPINGS = new Map();

export function createFlowVersions(store: Store, registry: FlowRegistry, logger: Logger): FlowVersions {
  const saved = new Set<string>();
  const restored = new Map<string, CompiledFlow>();
  return {
    async remember(flow) {
      if (saved.has(flow.version)) return;
      await store.flowVersions.save({ id: flow.version, flow: flow.name, definition: flow }, Date.now());
      saved.add(flow.version);
    },
    async resolve(name, version) {
      const current = registry.current(name);
      if (current?.definition.version === version) return current;
      const known = restored.get(version);
      if (known !== undefined) return known;
      const stored = await store.flowVersions.get(version);
      if (stored !== undefined && stored.flow === name) {
        // Map steps carry their mapping's text inline, so a stored definition compiles alone.
        const compiled = compileFlow(stored.definition as FlowDefinition, NO_MAPPINGS);
        restored.set(version, compiled);
        logger.info({ flow: name, version }, 'run continues on its stored flow version');
        return compiled;
      }
      return registry.forRun(name, version);
    },
  };
}
