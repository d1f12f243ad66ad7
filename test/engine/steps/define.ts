import { createHash } from 'node:crypto';
import type { FlowDefinition } from '../../../src/project/index.ts';

/** A FlowDefinition from a loose spec (any step or trigger kind), with a content version hash. */
export function flow(spec: Record<string, unknown> & { name: string; steps: unknown[] }): FlowDefinition {
  const source = { file: `flows/${spec.name}.yaml`, line: 1, column: 1 };
  const withSource = (items: unknown[]) => items.map((item) => ({ ...(item as object), source }));
  return {
    triggers: withSource((spec.triggers as unknown[] | undefined) ?? []),
    retry: { attempts: 3, backoffMs: 10 },
    version: createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16),
    source,
    ...spec,
    steps: withSource(spec.steps),
  } as unknown as FlowDefinition;
}
