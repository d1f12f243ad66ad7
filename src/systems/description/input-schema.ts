import type { JsonSchema } from '../../project/index.ts';
import type { OperationParts } from './operation-parts.ts';
import type { DescriptionWarnings } from './warnings.ts';

/**
 * The operation's input as one object schema: each parameter by name, plus `body`. This is what
 * flow steps evaluate to and what agent tools advertise. Unknown keys are rejected so that a
 * misspelt parameter is an error, not a silently missing value.
 */
export function buildInputSchema(
  parts: OperationParts,
  pointer: string,
  warnings: DescriptionWarnings,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const parameter of parts.parameters) {
    if (parameter.name in properties || parameter.name === 'body') {
      warnings.add(
        pointer,
        `parameter "${parameter.name}" (${parameter.in}) shares its name with another input; it takes the same value`,
      );
      continue;
    }
    properties[parameter.name] = parameter.schema;
    if (parameter.required) required.push(parameter.name);
  }
  if (parts.requestBody !== undefined) {
    properties.body = parts.requestBody.schema ?? {};
    if (parts.requestBody.required) required.push('body');
  }
  return { type: 'object', properties, required, additionalProperties: false };
}
