import type { ProjectProblem } from './model.ts';

export interface FormatOptions {
  /** ANSI colours, for a terminal (the CLI decides from isTTY and NO_COLOR). */
  readonly color: boolean;
}

const paint = (code: number, on: boolean) => (text: string) =>
  on ? `\u001b[${code}m${text}\u001b[0m` : text;

/**
 * Problems for a terminal, one block each:
 *
 *   flows/x.yaml:7:11  schema  steps[1].type: unknown type; did you mean "call"?
 *       found:    "cal"
 *       expected: one of map, call
 *
 * followed by a count. Editors and terminals make `file:line:column` clickable.
 */
export function formatProblems(problems: readonly ProjectProblem[], options: FormatOptions): string {
  if (problems.length === 0) return paint(32, options.color)('no problems');
  const location = paint(36, options.color);
  const rule = paint(33, options.color);
  const dim = paint(2, options.color);
  const lines: string[] = [];
  for (const problem of problems) {
    lines.push(
      `${location(`${problem.file}:${problem.line}:${problem.column}`)}  ${rule(problem.rule)}  ${problem.message}`,
    );
    if (problem.found !== undefined) lines.push(`    ${dim('found:')}    ${problem.found}`);
    if (problem.expected !== undefined) lines.push(`    ${dim('expected:')} ${problem.expected}`);
  }
  const files = new Set(problems.map((problem) => problem.file)).size;
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`;
  lines.push('', paint(31, options.color)(count));
  return lines.join('\n');
}

/** One line per problem, for logs (hot reload) where a block would be noise. */
export function describeProblem(problem: ProjectProblem): string {
  const detail = [
    problem.found === undefined ? undefined : `found ${problem.found}`,
    problem.expected === undefined ? undefined : `expected ${problem.expected}`,
  ].filter((part) => part !== undefined);
  const suffix = detail.length === 0 ? '' : ` (${detail.join(', ')})`;
  return `${problem.file}:${problem.line}:${problem.column} ${problem.rule}: ${problem.message}${suffix}`;
}

/** What `conflux validate --json` prints. */
export interface ProblemReport {
  readonly valid: boolean;
  readonly problemCount: number;
  readonly problems: readonly ProjectProblem[];
}

export function toProblemReport(problems: readonly ProjectProblem[]): ProblemReport {
  return { valid: problems.length === 0, problemCount: problems.length, problems };
}
