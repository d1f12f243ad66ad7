import type { JsonSchema } from '../../project/index.ts';
import { compileValidator, createAjv, type FieldError, type Validator } from '../schema/validation.ts';
import type { Operation } from '../types.ts';

/**
 * Checks an operation's input before it goes on the wire. Parameters are coerced (a flow often
 * holds `"42"` where the path wants an integer), the body is not: it is sent exactly as given.
 * Returns the coerced input and the failing fields.
 */
export function createInputChecker(): (
  operation: Operation,
  input: Record<string, unknown>,
) => { input: Record<string, unknown>; errors: FieldError[] } {
  const coercing = createAjv(true);
  const strict = createAjv(false);
  const cache = new Map<Operation, { params: Validator | undefined; body: Validator | undefined }>();

  return (operation, input) => {
    let validators = cache.get(operation);
    if (validators === undefined) {
      const body = operation.requestBody?.schema;
      validators = {
        params: compileValidator(coercing, withoutBody(operation.inputSchema), ''),
        body: body === undefined ? undefined : compileValidator(strict, body, 'body'),
      };
      cache.set(operation, validators);
    }
    const { body, ...params } = input;
    const errors = validators.params?.(params) ?? [];
    if (body === undefined && operation.requestBody?.required === true)
      errors.push({ field: 'body', message: 'is required' });
    if (body !== undefined && validators.body !== undefined) errors.push(...validators.body(body));
    return { input: body === undefined ? params : { ...params, body }, errors };
  };
}

/** The input schema for parameters only: the body is checked on its own, without coercion. */
function withoutBody(schema: JsonSchema): JsonSchema {
  if (typeof schema !== 'object' || typeof schema.properties !== 'object' || schema.properties === null)
    return schema;
  const { body: _body, ...properties } = schema.properties as Record<string, JsonSchema>;
  const required = Array.isArray(schema.required) ? schema.required.filter((name) => name !== 'body') : [];
  return { ...schema, properties, required };
}
