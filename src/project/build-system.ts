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

const DOCUMENTS = {
  openapi: 'an OpenAPI document',
  asyncapi: 'an AsyncAPI document',
  wsdl: 'a WSDL document',
  fhir: 'a FHIR R4 CapabilityStatement',
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
  // The schema requires one of the four; the first written in this order wins.
  const field =
    (['openapi', 'asyncapi', 'wsdl', 'fhir'] as const).find((name) => file[name] !== undefined) ?? 'openapi';
  const relativePath = file[field] ?? '';
  const descriptionFile = resolve(dirname(resolve(root, yaml.file)), relativePath);
  if (!isFile(descriptionFile)) {
    problems.push({
      ...yaml.valueAt([field]),
      rule: 'file',
      message: `${field}: no file at ${relativePath} (relative to ${yaml.file})`,
      found: relativePath,
      expected: `the path of ${DOCUMENTS[field]}, relative to this file`,
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
    auth: buildAuth(file.auth),
    timeoutMs: file.timeoutMs ?? systemDefaults.timeoutMs,
    retry: {
      attempts: file.retry?.attempts ?? systemDefaults.retry.attempts,
      backoffMs: file.retry?.backoffMs ?? systemDefaults.retry.backoffMs,
    },
    ...(file.pagination === undefined ? {} : { pagination: file.pagination }),
    ...(file.responseValidation === undefined ? {} : { responseValidation: file.responseValidation }),
    ...(file.limits === undefined ? {} : { limits: file.limits }),
    source: yaml.valueAt([]),
  };
  return { value, problems };
}

/** The auth block with its defaults filled (the schema's `default`s say the same). */
function buildAuth(auth: SystemFile['auth']): SystemAuth {
  if (auth === undefined) return { type: 'none' };
  switch (auth.type) {
    case 'oauth2ClientCredentials':
    case 'oauth2AuthorizationCode':
      return { ...auth, scopes: auth.scopes ?? [], refreshBeforeSeconds: auth.refreshBeforeSeconds ?? 60 };
    case 'hmac':
      return {
        ...auth,
        header: auth.header ?? 'x-signature',
        algorithm: auth.algorithm ?? 'sha256',
        timestampHeader: auth.timestampHeader ?? 'x-timestamp',
      };
    default:
      return auth;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
