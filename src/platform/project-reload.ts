import type { ProjectReloads, ReloadStatus } from '../admin/index.ts';
import { toConfluxError } from '../errors/index.ts';
import type { ConformanceReport } from '../gateway/index.ts';
import type { Logger, Metrics } from '../observability/index.ts';
import type { LoadProjectResult, Project, ProjectProblem } from '../project/index.ts';

export interface ReloadResult {
  readonly applied: boolean;
  readonly problems: readonly ProjectProblem[];
  /** The conformance specs run against the changed project, when any ran. */
  readonly conformance?: ConformanceReport;
}

export interface ProjectReloaderDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Loads and validates the project files: schemas and references. */
  load(): Promise<LoadProjectResult>;
  /** Runs the changed project's conformance specs without exposing it (reload-check.ts). */
  check(project: Project): Promise<ConformanceReport>;
  /** Builds the changed project's runtime and swaps it in; throws to reject it. */
  apply(project: Project): Promise<void>;
}

export interface ProjectReloader extends ProjectReloads {
  /** Reloads as `reload`, answering the detailed result (the CLI prints its problems). */
  run(): Promise<ReloadResult>;
}

/**
 * Safe change: a changed project replaces the serving one only when its files validate, its
 * conformance specs pass (unless `reload.conformance: false`) and it compiles. Otherwise the
 * change is rejected, logged with what failed (each failing spec case by file and line) and
 * kept as the status the admin API shows, and the last good version keeps serving. Reloads
 * run one at a time, in the order asked: a slow spec run cannot let an older change win.
 */
export function createProjectReloader(deps: ProjectReloaderDeps): ProjectReloader {
  let last: ReloadStatus = { outcome: 'none', at: null, problems: [], conformance: null };
  let queue: Promise<unknown> = Promise.resolve();

  function settle(result: ReloadResult): ReloadResult {
    last = {
      outcome: result.applied ? 'applied' : 'rejected',
      at: new Date().toISOString(),
      problems: result.problems.map(({ file, line, column, rule, message }) => ({
        file,
        line,
        column,
        rule,
        message,
      })),
      conformance: result.conformance === undefined ? null : summary(result.conformance),
    };
    deps.metrics.projectReloads.inc({ outcome: result.applied ? 'applied' : 'rejected' });
    return result;
  }

  function reject(problems: readonly ProjectProblem[], conformance?: ConformanceReport): ReloadResult {
    deps.logger.warn(
      {
        problems,
        ...(conformance === undefined ? {} : { conformance: summary(conformance) }),
      },
      'project change rejected; still serving the last good version',
    );
    return settle({ applied: false, problems, ...(conformance === undefined ? {} : { conformance }) });
  }

  async function attempt(): Promise<ReloadResult> {
    const next = await deps.load();
    if (next.project === undefined || next.problems.length > 0) return reject(next.problems);
    const project = next.project;
    let conformance: ConformanceReport | undefined;
    if (project.settings.reload.conformance) {
      try {
        conformance = await deps.check(project);
      } catch (error) {
        return reject([problemOf(error, 'conformance')]);
      }
      if (conformance.failed > 0) return reject(failingCases(conformance), conformance);
    }
    try {
      await deps.apply(project);
    } catch (error) {
      return reject([problemOf(error, 'apply')], conformance);
    }
    deps.logger.info(
      {
        project: project.settings.name,
        ...(conformance === undefined || conformance.results.length === 0
          ? {}
          : { conformancePassed: conformance.passed }),
      },
      'project reloaded',
    );
    return settle({ applied: true, problems: [], ...(conformance === undefined ? {} : { conformance }) });
  }

  function run(): Promise<ReloadResult> {
    const result = queue.then(attempt);
    queue = result.catch(() => undefined);
    return result;
  }

  return {
    run,
    status: () => last,
    reload: async () => {
      await run();
      return last;
    },
  };
}

function failingCases(report: ConformanceReport): ProjectProblem[] {
  return report.results
    .filter((result) => !result.passed)
    .map((result) => ({
      file: result.file,
      line: result.line,
      column: 1,
      rule: 'conformance',
      message: `spec "${result.spec}" case "${result.name}" failed: ${result.diffs.join('; ')}`,
    }));
}

/** An error as a problem, at the place its details name when they name one. */
function problemOf(error: unknown, rule: string): ProjectProblem {
  const failure = toConfluxError(error);
  const details = failure.details as { file?: unknown; line?: unknown; column?: unknown };
  return {
    file: typeof details.file === 'string' ? details.file : 'conflux.yaml',
    line: typeof details.line === 'number' ? details.line : 1,
    column: typeof details.column === 'number' ? details.column : 1,
    rule,
    message: failure.message,
  };
}

function summary(report: ConformanceReport): NonNullable<ReloadStatus['conformance']> {
  return {
    passed: report.passed,
    failed: report.failed,
    failures: report.results
      .filter((result) => !result.passed)
      .map(({ spec, file, line, name, diffs }) => ({ spec, file, line, name, diffs })),
  };
}
