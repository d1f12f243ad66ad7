import { resolve } from 'node:path';
import type { Command } from 'commander';
import { scaffoldProject } from '../../project/index.ts';
import type { Output } from '../output.ts';

export function registerInit(program: Command, output: (json: boolean) => Output): void {
  program
    .command('init')
    .description('Create a new, working project (a mock system, an API, a flow) in a folder')
    .argument('[dir]', 'folder to create the project in (default: current folder)')
    .option('--name <name>', 'project name (default: the folder name)')
    .option('--json', 'machine-readable output')
    .action(async (dir: string | undefined, options: { name?: string; json?: boolean }) => {
      const out = output(options.json === true);
      const root = resolve(dir ?? '.');
      const result = await scaffoldProject(root, options.name === undefined ? {} : { name: options.name });
      out.result(result);
      out.line(`Created a Conflux project in ${root}:`);
      for (const file of result.files) out.line(`  ${file}`);
      out.line('');
      out.line('Next:');
      out.line(`  npx conflux validate ${dir ?? '.'}`);
      out.line(`  npx conflux dev --project ${dir ?? '.'} --demo-key`);
    });
}
