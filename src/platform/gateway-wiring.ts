import { ConfluxError } from '../errors/index.ts';
import type { Consumer, ConsumerType, MockDirectory, OperationCaller } from '../gateway/index.ts';
import type { Project } from '../project/index.ts';
import { type MockServer, type SystemDescription, startMockServer } from '../systems/index.ts';
import type { SystemsRuntime } from './systems-runtime.ts';

/**
 * The consumer type of a key that does not carry one, read from its scopes: `type:internal`,
 * `type:partner` (default: public). A stand-in until consumers carry their type in identity;
 * replace this function, nothing else changes.
 */
export function consumerTypeFromScopes(consumer: Consumer): ConsumerType {
  if (consumer.scopes.includes('type:internal')) return 'internal';
  if (consumer.scopes.includes('type:partner')) return 'partner';
  return 'public';
}

/** The systems runtime's caller as the gateway's port (composite routes). */
export function operationCallerFor(runtime: SystemsRuntime): OperationCaller {
  return {
    call: (system, operation, input, options) => runtime.caller.call(system, operation, input, options),
  };
}

/**
 * Mock servers for mock routes: a system already served as `baseUrl: mock` is reused; any
 * other is served from its description on a loopback port started on first use.
 */
export interface MockOrigins {
  directory(project: Project, runtime: SystemsRuntime): MockDirectory;
  close(): Promise<void>;
}

export function createMockOrigins(): MockOrigins {
  const started = new Map<SystemDescription, Promise<MockServer>>();
  return {
    directory(project, runtime) {
      return {
        operation(system, operationId) {
          const description = runtime.descriptions.get(system);
          const operation = description?.operations.get(operationId);
          if (description === undefined || operation === undefined) {
            throw new ConfluxError(
              'SYSTEM_OPERATION_NOT_FOUND',
              `System ${system} has no operation ${operationId}.`,
            );
          }
          // Mock servers answer at the description's own paths, from the root.
          return {
            pathTemplate: operation.path,
            method: operation.method.toUpperCase(),
            async origin() {
              if (project.systems.get(system)?.baseUrl === 'mock')
                return new URL(runtime.baseUrls.get(system) ?? '').origin;
              let server = started.get(description);
              if (server === undefined) {
                server = startMockServer(description, { host: '127.0.0.1', port: 0 });
                started.set(description, server);
              }
              return (await server).url;
            },
          };
        },
      };
    },
    async close() {
      const servers = await Promise.allSettled(started.values());
      started.clear();
      await Promise.all(
        servers.map((server) => (server.status === 'fulfilled' ? server.value.close() : undefined)),
      );
    },
  };
}
