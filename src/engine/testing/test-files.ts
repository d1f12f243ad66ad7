/**
 * Test files beside the project's flows and mappings:
 *
 *   flows/<flow>.test.yaml     cases: [{ name, trigger, responses: { <stepId>: { status, body } },
 *                                        expect: { calls: [{ step?, operation, input }], output } }]
 *   mappings/<name>.test.yaml  cases: [{ name, input, output }]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfluxError } from '../../errors/index.ts';

export interface RecordedResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export interface FlowTestCase {
  readonly name: string;
  readonly trigger: unknown;
  /** By step id (or `system.operation`): what the system answered. */
  readonly responses?: Record<string, RecordedResponse>;
  readonly expect?: {
    readonly calls?: readonly {
      readonly step?: string;
      readonly operation: string;
      readonly input?: unknown;
    }[];
    readonly output?: unknown;
    readonly status?: 'succeeded' | 'dead';
  };
}

export interface MappingTestCase {
  readonly name: string;
  readonly input: unknown;
  readonly output: unknown;
}

export interface TestFile<C> {
  /** Relative to the project root. */
  readonly file: string;
  /** The flow or mapping the file tests (its name before `.test.yaml`). */
  readonly subject: string;
  readonly cases: readonly C[];
}

function invalid(file: string, message: string): ConfluxError {
  return new ConfluxError('ENGINE_FLOW_TEST_INVALID', `${file}: ${message}`, {
    details: { file, expected: 'cases: a list of { name, ... } (see docs/flows.md, Flow tests)' },
  });
}

export function readTestFiles<C extends { name: string }>(
  root: string,
  folder: 'flows' | 'mappings',
): TestFile<C>[] {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.test.yaml'))
    .sort()
    .map((name) => {
      const file = `${folder}/${name}`;
      let doc: unknown;
      try {
        doc = parse(readFileSync(join(dir, name), 'utf8'));
      } catch (cause) {
        throw invalid(file, `is not valid YAML (${cause instanceof Error ? cause.message : String(cause)})`);
      }
      const cases = (doc as { cases?: unknown } | null)?.cases;
      if (!Array.isArray(cases) || cases.some((c) => typeof c?.name !== 'string')) {
        throw invalid(file, 'needs `cases`, a list whose items each have a `name`');
      }
      return { file, subject: name.slice(0, -'.test.yaml'.length), cases: cases as C[] };
    });
}
