import type { JsonSchema } from '../../project/index.ts';
import { isFormMediaType, isJsonMediaType } from '../description/media-type.ts';
import { compileValidator, createAjv, type FieldError, type Validator } from '../schema/validation.ts';
import type { Operation, OperationParameter } from '../types.ts';

export interface IncomingRequest {
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly contentType: string | undefined;
  readonly rawBody: string;
}

export interface CheckedRequest {
  readonly errors: FieldError[];
  /** The parsed body: JSON, a form as an object, or the text as sent. */
  readonly body: unknown;
}

type Location = 'path' | 'query' | 'header';

interface OperationValidators {
  readonly locations: Map<Location, Validator | undefined>;
  readonly body: Validator | undefined;
}

/**
 * Checks requests against their operation: parameters with type coercion (they arrive as
 * text), JSON and form bodies against the request body schema. Validators are compiled on the
 * first request of each operation and kept, so a 300-operation document starts instantly.
 */
export function createRequestChecker(): (operation: Operation, request: IncomingRequest) => CheckedRequest {
  const coercing = createAjv(true);
  const strict = createAjv(false);
  const cache = new Map<Operation, OperationValidators>();

  const validatorsFor = (operation: Operation): OperationValidators => {
    let validators = cache.get(operation);
    if (validators !== undefined) return validators;
    const locations = new Map<Location, Validator | undefined>();
    for (const location of ['path', 'query', 'header'] as const) {
      const declared = operation.parameters.filter((parameter) => parameter.in === location);
      if (declared.length > 0)
        locations.set(location, compileValidator(coercing, objectOf(declared, location), location));
    }
    const body = operation.requestBody;
    const bodyAjv = isFormMediaType(body?.contentType) ? coercing : strict;
    validators = {
      locations,
      body: body?.schema === undefined ? undefined : compileValidator(bodyAjv, body.schema, 'body'),
    };
    cache.set(operation, validators);
    return validators;
  };

  return (operation, request) => {
    const validators = validatorsFor(operation);
    const errors: FieldError[] = [];
    const values: Record<Location, Record<string, unknown>> = {
      path: { ...request.params },
      query: queryValues(operation.parameters, request.query),
      header: headerValues(request.headers),
    };
    for (const [location, validate] of validators.locations) {
      if (validate !== undefined) errors.push(...validate(values[location]));
    }
    const { body, bodyErrors } = readBody(operation, request);
    errors.push(...bodyErrors);
    if (bodyErrors.length === 0 && body !== undefined && validators.body !== undefined)
      errors.push(...validators.body(body));
    return { errors, body };
  };
}

function objectOf(parameters: readonly OperationParameter[], location: Location): JsonSchema {
  const key = (name: string) => (location === 'header' ? name.toLowerCase() : name);
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((parameter) => [key(parameter.name), parameter.schema])),
    required: parameters.filter((parameter) => parameter.required).map((parameter) => key(parameter.name)),
  };
}

function wantsArray(schema: JsonSchema): boolean {
  if (typeof schema !== 'object') return false;
  return schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array'));
}

function queryValues(
  parameters: readonly OperationParameter[],
  query: URLSearchParams,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const name of new Set(query.keys())) values[name] = query.get(name);
  for (const parameter of parameters) {
    if (parameter.in !== 'query' || !query.has(parameter.name) || !wantsArray(parameter.schema)) continue;
    const all = query.getAll(parameter.name);
    // Swagger 2's default collectionFormat is csv: `tags=a,b` is two values.
    values[parameter.name] = all.length === 1 ? (all[0] ?? '').split(',') : all;
  }
  return values;
}

function headerValues(headers: IncomingRequest['headers']): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) values[name] = value;
  return values;
}

function readBody(
  operation: Operation,
  request: IncomingRequest,
): { body: unknown; bodyErrors: FieldError[] } {
  const declared = operation.requestBody;
  if (request.rawBody === '') {
    const missing = declared?.required === true ? [{ field: 'body', message: 'is required' }] : [];
    return { body: undefined, bodyErrors: missing };
  }
  const type = request.contentType ?? declared?.contentType;
  if (isFormMediaType(type))
    return { body: Object.fromEntries(new URLSearchParams(request.rawBody)), bodyErrors: [] };
  if (isJsonMediaType(type) || type === undefined) {
    try {
      return { body: JSON.parse(request.rawBody), bodyErrors: [] };
    } catch {
      return { body: request.rawBody, bodyErrors: [{ field: 'body', message: 'must be valid JSON' }] };
    }
  }
  return { body: request.rawBody, bodyErrors: [] };
}
