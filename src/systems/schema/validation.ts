import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../../project/index.ts';

/** One failing field: `body/email`, `query/limit`, and what was expected there. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type Validator = (value: unknown) => FieldError[];

/**
 * ajv for documents we do not control: non-strict (vendor keywords, unknown formats), all
 * errors at once, and optionally coercing strings, as path/query/header values always arrive.
 * Patterns are compiled without the `u` flag because many real documents use escapes that
 * unicode mode rejects.
 */
export function createAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    logger: false,
    unicodeRegExp: false,
    validateSchema: false,
    ...(coerce ? { coerceTypes: 'array' as const } : {}),
  });
  const addFormats = addFormatsModule as unknown as (instance: Ajv2020) => void;
  addFormats(ajv);
  return ajv;
}

/**
 * Compiles a schema into a validator reporting fields under `prefix`. A schema ajv cannot
 * compile (an invalid regex in the document, say) is retried without its patterns; if that
 * fails too, the answer is undefined and the caller decides to skip validation.
 */
export function compileValidator(ajv: Ajv2020, schema: JsonSchema, prefix: string): Validator | undefined {
  let validate: ValidateFunction | undefined;
  try {
    validate = ajv.compile(schema);
  } catch {
    try {
      validate = ajv.compile(withoutPatterns(schema));
    } catch {
      return undefined;
    }
  }
  const compiled = validate;
  return (value) => (compiled(value) ? [] : toFieldErrors(compiled.errors ?? [], prefix));
}

function withoutPatterns(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema), (key, value) =>
    key === 'pattern' || key === 'patternProperties' ? undefined : value,
  );
}

export function toFieldErrors(errors: readonly ErrorObject[], prefix: string): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // anyOf/oneOf report their branches too; the branch errors say more than the summary.
    if ((error.keyword === 'anyOf' || error.keyword === 'oneOf') && errors.length > 1) continue;
    const segments = error.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required') segments.push(String(params.missingProperty));
    if (error.keyword === 'additionalProperties') segments.push(String(params.additionalProperty));
    const field = [prefix, ...segments].filter((s) => s !== '').join('/');
    const message = describe(error);
    const key = `${field}\n${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message });
  }
  return out;
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'enum':
      return `must be one of ${JSON.stringify(params.allowedValues)}`;
    case 'format':
      return `must be a valid ${String(params.format)}`;
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}
