import type { Command } from 'commander';
import { createLogger, createMetrics } from '../../observability/index.ts';
import { createSystemsRuntimeManager, validateProject } from '../../platform/index.ts';
import { formatProblems, toProblemReport } from '../../project/index.ts';
import type { Output } from '../output.ts';
import { projectDirectory } from '../project-dir.ts';

export function registerValidate(program: Command, output: (json: boolean) => Output): void {
  program
    .command('validate')
    .description(
      'Check a project: schemas, references, API descriptions and expressions (exit 1 on problems)',
    )
    .argument('[dir]', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (dir: string | undefined, options: { json?: boolean }) => {
      const out = output(options.json === true);
      const root = projectDirectory(dir);
      const systems = createSystemsRuntimeManager({
        logger: createLogger({ level: 'silent' }),
        metrics: createMetrics(),
        resolveSecret: () => Promise.reject(new Error('validate never calls a system')),
      });
      const { problems } = await validateProject(root, (project) => systems.checkOperations(project));
      await systems.close();
      out.result(toProblemReport(problems));
      if (!out.json) {
        const text = formatProblems(problems, { color: out.color });
        (problems.length === 0 ? out.line : out.error)(problems.length === 0 ? `${root}: ${text}` : text);
      }
      process.exitCode = problems.length === 0 ? 0 : 1;
    });
}
