import { readFile } from 'node:fs/promises';
import { readWsdl } from '../../adapters/index.ts';
import type { JsonSchema } from '../../project/index.ts';
import type { Operation, SystemDescription } from '../types.ts';

/**
 * A WSDL as a system: each SOAP operation is a POST to the endpoint whose input is
 * `{ body: <request element as JSON> }` and whose 200 answer is the response element as JSON.
 */
export async function loadWsdlDescription(file: string): Promise<SystemDescription> {
  const wsdl = readWsdl(await readFile(file, 'utf8'), file);
  const operations = new Map<string, Operation>();
  for (const operation of wsdl.operations) {
    const body = operation.inputSchema as JsonSchema;
    operations.set(operation.name, {
      id: operation.name,
      method: 'POST',
      path: '',
      ...(operation.documentation === undefined ? {} : { summary: operation.documentation }),
      parameters: [],
      requestBody: { required: true, contentType: 'application/json', schema: body },
      responses: [
        {
          status: '200',
          contentType: 'application/json',
          ...(operation.outputSchema === undefined ? {} : { schema: operation.outputSchema as JsonSchema }),
        },
      ],
      inputSchema: { type: 'object', properties: { body }, required: ['body'], additionalProperties: false },
      soap: operation.binding,
    });
  }
  return {
    kind: 'wsdl',
    title: wsdl.name,
    version: '',
    specVersion: '1.1',
    servers: wsdl.endpoints,
    operations,
    warnings: wsdl.warnings,
  };
}
