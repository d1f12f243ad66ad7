import { compileExpression } from '../../mapping/index.ts';
import type { Project } from '../../project/index.ts';
import { diffJson } from './diff.ts';
import type { TestResult } from './results.ts';
import { type MappingTestCase, readTestFiles } from './test-files.ts';

/** Evaluates each mapping test's input through its mapping and compares the output exactly. */
export async function runMappingTests(project: Project): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const file of readTestFiles<MappingTestCase>(project.root, 'mappings')) {
    const mapping = project.mappings.get(file.subject);
    for (const testCase of file.cases) {
      const name = `${file.subject} › ${testCase.name}`;
      if (mapping === undefined) {
        results.push({
          kind: 'mapping',
          file: file.file,
          name,
          passed: false,
          problems: [`no mapping ${file.subject}`],
        });
        continue;
      }
      try {
        const output = await compileExpression(mapping.expression, mapping.source.file).evaluate(
          testCase.input,
        );
        const problems = diffJson(testCase.output, output ?? null, { subset: false });
        results.push({ kind: 'mapping', file: file.file, name, passed: problems.length === 0, problems });
      } catch (error) {
        results.push({ kind: 'mapping', file: file.file, name, passed: false, problems: [errorLine(error)] });
      }
    }
  }
  return results;
}

export function errorLine(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
