import { isConfluxError } from '../errors/index.ts';
import { compileExpression } from '../mapping/index.ts';
import type { Project, ProjectProblem, SourceLocation } from '../project/index.ts';

/**
 * Compiles every JSONata expression of the project (step expressions and inputs, flow
 * outputs, schedule inputs, mapping files) so `conflux validate` reports a syntax error at its
 * file and line instead of the first run failing on it.
 */
export function checkExpressions(project: Project): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  const check = (
    expression: string | undefined,
    where: string,
    at: SourceLocation,
    text?: { file: string },
  ) => {
    if (expression === undefined) return;
    try {
      compileExpression(expression, where);
    } catch (error) {
      if (!isConfluxError(error)) throw error;
      const position = typeof error.details.position === 'number' ? error.details.position : undefined;
      const location =
        text !== undefined && position !== undefined ? locate(expression, position, text.file) : at;
      problems.push({
        ...location,
        rule: 'expression',
        message: error.message,
        ...(typeof error.details.near === 'string' ? { found: error.details.near } : {}),
        expected: 'a valid JSONata expression',
      });
    }
  };
  const reported = new Set<string>();
  for (const mapping of project.mappings.values()) {
    reported.add(mapping.name);
    check(mapping.expression, `mapping ${mapping.name}`, mapping.source, { file: mapping.source.file });
  }
  for (const flow of project.flows.values()) {
    for (const trigger of flow.triggers) {
      if (trigger.type === 'schedule')
        check(trigger.input, `flow ${flow.name} schedule input`, trigger.source);
    }
    for (const step of flow.steps) {
      if (step.type === 'map' && (step.mapping === undefined || !reported.has(step.mapping))) {
        check(step.expression, `flow ${flow.name} step ${step.id}`, step.source);
      }
      if (step.type === 'call') check(step.input, `flow ${flow.name} step ${step.id} input`, step.source);
    }
    check(flow.output, `flow ${flow.name} output`, flow.source);
  }
  return problems;
}

/** Turns a character offset in a mapping file into its line and column. */
function locate(text: string, position: number, file: string): SourceLocation {
  const before = text.slice(0, Math.max(0, position - 1));
  const lines = before.split('\n');
  return { file, line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}
