/**
 * Flow tests: each case starts the flow with its trigger data on a real engine over a
 * throw-away SQLite store, answers every system call from the case's recorded responses (by
 * step id, else by `system.operation`), then compares the calls made (operation, step, input
 * as a subset) and the run's output (exactly) and prints a diff per difference.
 *
 * With `record`, calls go to the given caller (the real or mock systems) instead, and the
 * answers — secrets scrubbed by `redact` — are written into the test file as its responses.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { createLogger, createMetrics } from '../../observability/index.ts';
import type { Project } from '../../project/index.ts';
import { createStore } from '../../store/index.ts';
import type { SystemCaller } from '../../systems/index.ts';
import { createEngine } from '../engine.ts';
import { diffJson } from './diff.ts';
import type { TestResult } from './results.ts';
import { errorLine } from './run-mapping-tests.ts';
import { type FlowTestCase, type RecordedResponse, readTestFiles } from './test-files.ts';

export interface FlowTestOptions {
  /** Record: call these systems and write their answers into the test files. */
  readonly record?: { readonly caller: SystemCaller; readonly redact: (value: unknown) => unknown };
  readonly timeoutMs?: number;
}

interface MadeCall {
  readonly step: string;
  readonly operation: string;
  readonly input: unknown;
}

const RUN_TIMEOUT_MS = 10_000;

function stepOf(key: string | undefined, runId: string): string {
  if (key === undefined || !key.startsWith(`${runId}:`)) return '';
  return key.slice(runId.length + 1).replace(/:replay-\d+$/, '');
}

export async function runFlowTests(project: Project, options: FlowTestOptions = {}): Promise<TestResult[]> {
  const files = readTestFiles<FlowTestCase>(project.root, 'flows');
  if (files.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'conflux-test-'));
  const store = await createStore({ sqlitePath: join(dir, 'test.db') });
  // Per case: the calls made and the answers to give (or recorded).
  let made: MadeCall[] = [];
  let responses: Record<string, RecordedResponse> = {};
  let recorded: Record<string, RecordedResponse> = {};
  let runId = '';
  const systems: SystemCaller = {
    async call(system, operation, input, callOptions) {
      const step = stepOf(callOptions.idempotencyKey, runId);
      made.push({ step, operation: `${system}.${operation}`, input });
      if (options.record !== undefined) {
        const response = await options.record.caller.call(system, operation, input, callOptions);
        recorded[step || `${system}.${operation}`] = options.record.redact({
          status: response.status,
          body: response.body,
        }) as RecordedResponse;
        return response;
      }
      const answer =
        responses[step] ?? responses[step.split('.').at(-1) ?? ''] ?? responses[`${system}.${operation}`];
      if (answer === undefined) {
        throw new Error(
          `no recorded response for step "${step}" (${system}.${operation}); add it under responses`,
        );
      }
      return { status: answer.status, headers: answer.headers ?? {}, body: answer.body ?? null };
    },
  };
  const engine = createEngine({
    store,
    systems,
    redact: (value) => value,
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics(),
    pollIntervalMs: 20,
    concurrency: 1,
  });
  const results: TestResult[] = [];
  try {
    engine.load(project.flows, project.mappings);
    await engine.start();
    for (const file of files) {
      const updates: Record<string, RecordedResponse>[] = [];
      for (const testCase of file.cases) {
        made = [];
        recorded = {};
        responses = testCase.responses ?? {};
        const name = `${file.subject} › ${testCase.name}`;
        try {
          const run = await engine.startRun(file.subject, testCase.trigger ?? null, {
            triggerType: 'test',
            correlationId: `test:${file.subject}`,
          });
          runId = run.id;
          const done = await engine.waitForRun(run.id, options.timeoutMs ?? RUN_TIMEOUT_MS);
          updates.push(recorded);
          const problems: string[] = [];
          const wantStatus = testCase.expect?.status ?? 'succeeded';
          if (done.status !== wantStatus)
            problems.push(`status: expected ${wantStatus}, got ${done.status} ${JSON.stringify(done.error)}`);
          const calls = testCase.expect?.calls;
          if (calls !== undefined) {
            if (calls.length !== made.length) {
              problems.push(
                `calls: expected ${calls.length}, made ${made.length}: ${made.map((c) => c.operation).join(', ')}`,
              );
            }
            calls.forEach((want, index) => {
              const got = made[index];
              if (got === undefined) return;
              if (want.operation !== got.operation)
                problems.push(`calls[${index}]: expected ${want.operation}, made ${got.operation}`);
              if (want.step !== undefined && want.step !== got.step)
                problems.push(`calls[${index}]: expected step ${want.step}, was ${got.step}`);
              if (want.input !== undefined)
                problems.push(...diffJson(want.input, got.input, { subset: true }, `calls[${index}].input`));
            });
          }
          if (testCase.expect !== undefined && 'output' in testCase.expect) {
            problems.push(...diffJson(testCase.expect.output, done.output, { subset: false }, 'output'));
          }
          results.push({ kind: 'flow', file: file.file, name, passed: problems.length === 0, problems });
        } catch (error) {
          updates.push(recorded);
          results.push({ kind: 'flow', file: file.file, name, passed: false, problems: [errorLine(error)] });
        }
      }
      if (options.record !== undefined) writeRecordings(join(project.root, file.file), updates);
    }
  } finally {
    await engine.stop(1000);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

/** Writes each case's recorded responses into the file, keeping its comments and layout. */
function writeRecordings(path: string, updates: readonly Record<string, RecordedResponse>[]): void {
  const doc = parseDocument(readFileSync(path, 'utf8'));
  updates.forEach((responses, index) => {
    if (Object.keys(responses).length > 0)
      doc.setIn(['cases', index, 'responses'], doc.createNode(responses));
  });
  writeFileSync(path, doc.toString({ lineWidth: 0 }));
}
