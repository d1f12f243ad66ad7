import { startSoapService, type WsdlOperation } from '../../adapters/index.ts';
import type { JsonSchema } from '../../project/index.ts';
import { generateValue } from '../schema/generate-value.ts';
import { createRandom } from '../schema/random.ts';
import type { SystemDescription } from '../types.ts';
import type { MockServer, MockServerOptions } from './mock-server.ts';

/**
 * The mock of a WSDL system: a SOAP endpoint answering each operation with data generated from
 * its response element's schema (deterministic per seed), and Client faults for bad envelopes.
 */
export async function startSoapMockServer(
  description: SystemDescription,
  options: MockServerOptions,
): Promise<MockServer> {
  const operations: WsdlOperation[] = [];
  for (const operation of description.operations.values()) {
    if (operation.soap === undefined) continue;
    const output = operation.responses[0]?.schema;
    operations.push({
      name: operation.id,
      binding: operation.soap,
      inputSchema: {},
      ...(output === undefined || typeof output === 'boolean' ? {} : { outputSchema: output }),
      pointer: '',
    });
  }
  const seed = options.seed ?? 1;
  const service = await startSoapService({
    operations,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    respond: (operation) =>
      generateValue(
        (operation.outputSchema ?? { type: 'object' }) as JsonSchema,
        createRandom(`${seed}:${operation.name}`),
      ),
  });
  return { url: service.url, port: Number(new URL(service.url).port), close: () => service.close() };
}
