import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import type { Project } from '../../project/index.ts';
import { convertWorkflow, flowNameFor } from './convert-workflow.ts';
import { invalid, readArazzoDocument } from './read-document.ts';
import { indexSources } from './sources.ts';
import {
  type ArazzoImportResult,
  type ArazzoWarning,
  type ConvertIssues,
  type ImportedFlow,
  isJson,
} from './types.ts';

export interface ArazzoImportOptions {
  /** The Arazzo 1.0 document (YAML or JSON). */
  readonly file: string;
  /** The loaded project: its systems stand for the document's source descriptions. */
  readonly project: Project;
  /** Write `flows/<name>.yaml` (default true); false only converts. */
  readonly write?: boolean;
  /** Replace flow files that exist (default false: an existing file stops the import). */
  readonly force?: boolean;
}

/**
 * Converts every workflow of an Arazzo document into a flow of the project. Nothing is written
 * unless every workflow converts; constructs a flow cannot express are listed in `warnings` by
 * JSON pointer, and a document that cannot be imported throws ENGINE_ARAZZO_INVALID naming one.
 */
export async function importArazzo(options: ArazzoImportOptions): Promise<ArazzoImportResult> {
  const document = await readArazzoDocument(options.file);
  const warnings: ArazzoWarning[] = [];
  const issues: ConvertIssues = {
    warn: (pointer, message) => warnings.push({ pointer, message }),
    invalid: (pointer, message, cause) => invalid(options.file, pointer, message, cause),
  };
  for (const key of Object.keys(document)) {
    if (!['arazzo', 'info', 'sourceDescriptions', 'workflows', 'components'].includes(key)) {
      issues.warn(`/${key}`, `ignored: unknown top-level field "${key}"`);
    }
  }
  const components = isJson(document.components) ? document.components : {};
  const sources = indexSources(
    document.sourceDescriptions as unknown[],
    options.file,
    options.project,
    issues,
  );
  const workflows = document.workflows as unknown[];
  const flowNames = new Map<string, string>();
  workflows.forEach((workflow, index) => {
    const pointer = `/workflows/${index}`;
    if (!isJson(workflow) || typeof workflow.workflowId !== 'string' || workflow.workflowId === '') {
      throw issues.invalid(pointer, 'a workflow needs a workflowId');
    }
    const name = flowNameFor(workflow.workflowId);
    if ([...flowNames.values()].includes(name))
      throw issues.invalid(`${pointer}/workflowId`, `two workflows would both become flow "${name}"`);
    if (name !== workflow.workflowId)
      issues.warn(
        `${pointer}/workflowId`,
        `written as flow "${name}" (flow names are lowercase letters, digits and dashes)`,
      );
    flowNames.set(workflow.workflowId, name);
  });

  const flows: ImportedFlow[] = [];
  for (const [index, workflow] of workflows.entries()) {
    const entry = workflow as Record<string, unknown>;
    const workflowId = String(entry.workflowId);
    const name = flowNames.get(workflowId) ?? workflowId;
    const flow = await convertWorkflow(entry, `/workflows/${index}`, name, {
      issues,
      sources,
      components,
      flowNames,
    });
    const file = join('flows', `${name}.yaml`);
    const header = `# Imported from ${basename(options.file)} (Arazzo workflow ${workflowId}) by \`conflux flow import\`.\n`;
    flows.push({ workflowId, name, file, flow, yaml: header + stringify(flow, { lineWidth: 0 }) });
  }

  if (options.write !== false) {
    const taken = flows.filter((flow) => existsSync(join(options.project.root, flow.file)));
    if (taken.length > 0 && options.force !== true) {
      throw issues.invalid(
        '/workflows',
        `${taken.map((flow) => flow.file).join(', ')} already exist(s); pass --force to replace`,
      );
    }
    await mkdir(join(options.project.root, 'flows'), { recursive: true });
    for (const flow of flows) await writeFile(join(options.project.root, flow.file), flow.yaml);
  }
  return { flows, warnings };
}
