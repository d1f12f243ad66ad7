import type { JsonSchema, ValidationSettings } from '../../../project/index.ts';
import type { Operation } from '../../../systems/index.ts';

export interface RequestSchemas {
  readonly params?: JsonSchema;
  readonly query?: JsonSchema;
  readonly headers?: JsonSchema;
  readonly body?: JsonSchema;
  /** The operation declares a required body. */
  readonly bodyRequired: boolean;
}

/**
 * The schema of each request part: from the target operation's description (its parameters by
 * location, its request body), with each inline part of the route's `validation` replacing
 * the operation's. Header names are lower-case, as Node presents them.
 */
export function requestSchemas(
  settings: ValidationSettings,
  operation: Operation | undefined,
): RequestSchemas {
  const fromOperation = operation === undefined ? {} : operationSchemas(operation);
  const pick = (part: 'params' | 'query' | 'headers' | 'body'): JsonSchema | undefined =>
    settings[part] ?? fromOperation[part];
  const out: { -readonly [K in keyof RequestSchemas]: RequestSchemas[K] } = {
    bodyRequired: settings.body === undefined && operation?.requestBody?.required === true,
  };
  for (const part of ['params', 'query', 'headers', 'body'] as const) {
    const schema = pick(part);
    if (schema !== undefined) out[part] = schema;
  }
  return out;
}

function operationSchemas(
  operation: Operation,
): Partial<Record<'params' | 'query' | 'headers' | 'body', JsonSchema>> {
  const parts: Partial<Record<'params' | 'query' | 'headers' | 'body', JsonSchema>> = {};
  const groups = { path: 'params', query: 'query', header: 'headers' } as const;
  for (const [location, part] of Object.entries(groups) as [
    keyof typeof groups,
    'params' | 'query' | 'headers',
  ][]) {
    const parameters = operation.parameters.filter((parameter) => parameter.in === location);
    if (parameters.length === 0) continue;
    const name = (parameter: { name: string }) =>
      location === 'header' ? parameter.name.toLowerCase() : parameter.name;
    parts[part] = {
      type: 'object',
      properties: Object.fromEntries(parameters.map((parameter) => [name(parameter), parameter.schema])),
      required: parameters.filter((parameter) => parameter.required).map(name),
    };
  }
  if (operation.requestBody?.schema !== undefined) parts.body = operation.requestBody.schema;
  return parts;
}
