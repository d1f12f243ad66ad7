import { runFlowTests, runMappingTests, type TestResult } from '../engine/index.ts';
import { ConfluxError } from '../errors/index.ts';
import { createLogger, createMetrics } from '../observability/index.ts';
import { loadProject } from '../project/index.ts';
import { openCore } from './core.ts';
import type { Settings } from './settings.ts';
import { createSystemsRuntimeManager } from './systems-runtime.ts';

export interface ProjectTestOptions {
  readonly settings: Settings;
  /** Call the project's systems (real or mock) and write their answers into the flow tests. */
  readonly record?: boolean;
}

/**
 * `conflux test`: every kind of project test, one suite after another. Mapping and flow tests
 * run here; further suites (gateway conformance specs) join as one more entry in `suites`.
 */
export async function runProjectTests(root: string, options: ProjectTestOptions): Promise<TestResult[]> {
  const loaded = await loadProject(root);
  if (loaded.project === undefined || loaded.problems.length > 0) {
    throw new ConfluxError(
      'PROJECT_INVALID',
      `The project at ${root} has ${loaded.problems.length} problem(s).`,
      {
        details: { problems: loaded.problems },
      },
    );
  }
  const project = loaded.project;
  const suites: (() => Promise<TestResult[]>)[] = [
    () => runMappingTests(project),
    async () => {
      if (options.record !== true) return runFlowTests(project);
      const logger = createLogger({ level: 'silent' });
      const core = await openCore({
        projectRoot: root,
        settings: options.settings,
        environment: project.settings.environment,
        logger,
      });
      const systems = createSystemsRuntimeManager({
        logger,
        metrics: createMetrics(),
        resolveSecret: (name) => core.vault.get(name),
      });
      try {
        const runtime = await systems.build(project);
        return await runFlowTests(project, {
          record: { caller: runtime.caller, redact: (value) => core.redactor.redact(value) },
        });
      } finally {
        await systems.close();
        await core.close();
      }
    },
  ];
  const results: TestResult[] = [];
  for (const suite of suites) results.push(...(await suite()));
  return results;
}
