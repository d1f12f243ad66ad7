import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ConfluxError } from '../../../errors/index.ts';
import type { Policy } from '../../config.ts';
import type { RequestContext } from '../../context.ts';
import { bufferBody, bufferedJson } from '../body.ts';
import type { RequestSchemas } from './request-schemas.ts';

type Part = 'params' | 'query' | 'headers' | 'body';

export interface ValidationPolicyOptions {
  readonly schemas: RequestSchemas;
  /** Read cap for the body (threat protection's limit when set). */
  readonly maxBodyBytes: number;
}

const addFormats = addFormatsModule as unknown as (instance: Ajv2020) => void;

/**
 * Parameters arrive as strings and are coerced to their declared types; bodies are JSON and
 * are not. Schemas from OpenAPI descriptions carry annotations Ajv does not know, hence
 * strict: false. One Ajv per policy, built at compile time, so a reload never meets the
 * previous generation's schema ids.
 */
function compilerFor(coerceTypes: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, coerceTypes, validateFormats: true });
  addFormats(ajv);
  return ajv;
}

/**
 * Validates body, path parameters, query and headers against their schemas, compiled once when
 * the configuration is built. A failure is 400 GATEWAY_REQUEST_INVALID listing each failing
 * field (`body/email: must match format "email"`), all of them, not just the first.
 */
export function createValidationPolicy(options: ValidationPolicyOptions): Policy {
  const validators: [Part, ValidateFunction][] = [];
  const coerce = compilerFor(true);
  for (const part of ['params', 'query', 'headers'] as const) {
    const schema = options.schemas[part];
    if (schema !== undefined) validators.push([part, coerce.compile(schema as object)]);
  }
  const body =
    options.schemas.body === undefined
      ? undefined
      : compilerFor(false).compile(options.schemas.body as object);

  function check(ctx: RequestContext, document: unknown): void {
    const errors: string[] = [];
    for (const [part, validate] of validators) {
      const value =
        part === 'params'
          ? { ...ctx.params }
          : part === 'query'
            ? queryObject(ctx.query)
            : { ...ctx.req.headers };
      if (!validate(value)) errors.push(...describe(part, validate.errors ?? []));
    }
    if (body !== undefined) {
      if (document === undefined) {
        if (options.schemas.bodyRequired) errors.push('body: is required');
      } else if (!body(document)) errors.push(...describe('body', body.errors ?? []));
    }
    if (errors.length > 0) {
      throw new ConfluxError('GATEWAY_REQUEST_INVALID', `The request is not valid: ${errors.join('; ')}.`, {
        details: { errors },
      });
    }
  }

  return {
    name: 'request-validation',
    apply(ctx) {
      if (body === undefined) return check(ctx, undefined);
      return bufferBody(ctx, options.maxBodyBytes).then(() => check(ctx, bufferedJson(ctx)));
    },
  };
}

function queryObject(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (query === '') return out;
  for (const [name, value] of new URLSearchParams(query)) {
    const existing = out[name];
    out[name] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/** `body/email: must match format "email"`; a missing property is named as the field itself. */
function describe(part: Part, errors: readonly ErrorObject[]): string[] {
  return errors.map((error) => {
    const path = `${part}${error.instancePath}`;
    if (error.keyword === 'required') return `${path}/${String(error.params.missingProperty)}: is required`;
    if (error.keyword === 'additionalProperties')
      return `${path}/${String(error.params.additionalProperty)}: is not allowed`;
    return `${path}: ${error.message ?? 'is not valid'}`;
  });
}
