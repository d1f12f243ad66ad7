import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeProblem,
  formatProblems,
  type ProjectProblem,
  toProblemReport,
} from '../../src/project/index.ts';

const problems: ProjectProblem[] = [
  {
    file: 'flows/x.yaml',
    line: 7,
    column: 11,
    rule: 'schema',
    message: 'steps[1].type: unknown type; did you mean "call"?',
    found: '"cal"',
    expected: 'one of map, call',
  },
  { file: 'flows/x.yaml', line: 9, column: 1, rule: 'yaml', message: 'YAML syntax: Map keys must be unique' },
];

test('terminal format: location, rule, message, then found and expected', () => {
  assert.equal(
    formatProblems(problems, { color: false }),
    [
      'flows/x.yaml:7:11  schema  steps[1].type: unknown type; did you mean "call"?',
      '    found:    "cal"',
      '    expected: one of map, call',
      'flows/x.yaml:9:1  yaml  YAML syntax: Map keys must be unique',
      '',
      '2 problems in 1 file',
    ].join('\n'),
  );
  assert.equal(formatProblems([], { color: false }), 'no problems');
});

test('colour is ANSI only when asked for', () => {
  const ESC = String.fromCharCode(27);
  assert.ok(formatProblems(problems, { color: true }).includes(`${ESC}[36mflows/x.yaml:7:11${ESC}[0m`));
  assert.ok(!formatProblems(problems, { color: false }).includes(ESC));
});

test('one-line form for logs, and the --json report', () => {
  assert.equal(
    describeProblem(problems[0] as ProjectProblem),
    'flows/x.yaml:7:11 schema: steps[1].type: unknown type; did you mean "call"? (found "cal", expected one of map, call)',
  );
  const report = JSON.parse(JSON.stringify(toProblemReport(problems)));
  assert.equal(report.valid, false);
  assert.equal(report.problemCount, 2);
  assert.deepEqual(report.problems[0], problems[0]);
  assert.deepEqual(toProblemReport([]), { valid: true, problemCount: 0, problems: [] });
});
