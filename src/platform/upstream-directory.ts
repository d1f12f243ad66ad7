import { ConfluxError } from '../errors/index.ts';
import type { UpstreamDirectory } from '../gateway/index.ts';
import type { Project } from '../project/index.ts';
import type { SystemsRuntime } from './systems-runtime.ts';

/** Tells the gateway where each system operation lives and how to authenticate to it. */
export function createUpstreamDirectory(project: Project, runtime: SystemsRuntime): UpstreamDirectory {
  return {
    operation(systemName, operationId) {
      const system = project.systems.get(systemName);
      const description = runtime.descriptions.get(systemName);
      const baseUrl = runtime.baseUrls.get(systemName);
      if (system === undefined || description === undefined || baseUrl === undefined) {
        throw new ConfluxError('SYSTEM_NOT_FOUND', `No system named ${systemName}.`);
      }
      const operation = description.operations.get(operationId);
      if (operation === undefined) {
        throw new ConfluxError(
          'SYSTEM_OPERATION_NOT_FOUND',
          `System ${systemName} has no operation ${operationId}.`,
        );
      }
      const base = new URL(baseUrl);
      const budget = runtime.budget(systemName);
      return {
        ...(budget === undefined ? {} : { budget }),
        origin: base.origin,
        pathTemplate: `${base.pathname.replace(/\/$/, '')}${operation.path}`,
        method: operation.method.toUpperCase(),
        timeoutMs: system.timeoutMs,
        credentials: () => runtime.credentials(systemName),
      };
    },
    describe(systemName, operationId) {
      return runtime.descriptions.get(systemName)?.operations.get(operationId);
    },
  };
}
