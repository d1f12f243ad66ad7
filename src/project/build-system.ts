import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SystemFile } from './file-shapes.ts';
import type { ProjectProblem, SystemAuth, SystemDefinition } from './model.ts';
import { didYouMean } from './suggest.ts';
import type { YamlFile } from './yaml-file.ts';

export const systemDefaults = {
  timeoutMs: 10_000,
  retry: { attempts: 1, backoffMs: 200 },
} as const;

/**
 * A system file as the model: the description path made absolute (and checked to exist), the
 * base URL picked for the environment. Returns problems instead when either cannot be resolved.
 */
export function buildSystem(
  file: SystemFile,
  yaml: YamlFile,
  root: string,
  environment: string,
): { value?: SystemDefinition; problems: ProjectProblem[] } {
  const problems: ProjectProblem[] = [];
  const descriptionFile = resolve(dirname(resolve(root, yaml.file)), file.openapi);
  if (!isFile(descriptionFile)) {
    problems.push({
      ...yaml.valueAt(['openapi']),
      rule: 'file',
      message: `openapi: no file at ${file.openapi} (relative to ${yaml.file})`,
      found: file.openapi,
      expected: 'the path of an OpenAPI document, relative to this file',
    });
  }
  const baseUrl = file.baseUrl ?? file.baseUrls?.[environment];
  if (baseUrl === undefined) {
    const environments = Object.keys(file.baseUrls ?? {});
    problems.push({
      ...yaml.valueAt(['baseUrls']),
      rule: 'environment',
      message: `baseUrls: no entry for environment "${environment}"${didYouMean(environment, environments)}`,
      found: environments.join(', '),
      expected: `"${environment}"`,
    });
  }
  if (problems.length > 0 || baseUrl === undefined) return { problems };
  const value: SystemDefinition = {
    name: file.name,
    ...(file.description === undefined ? {} : { description: file.description }),
    descriptionFile,
    baseUrl,
    auth: (file.auth ?? { type: 'none' }) as SystemAuth,
    timeoutMs: file.timeoutMs ?? systemDefaults.timeoutMs,
    retry: {
      attempts: file.retry?.attempts ?? systemDefaults.retry.attempts,
      backoffMs: file.retry?.backoffMs ?? systemDefaults.retry.backoffMs,
    },
    source: yaml.valueAt([]),
  };
  return { value, problems };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
