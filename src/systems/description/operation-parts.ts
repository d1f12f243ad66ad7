import type { JsonSchema } from '../../project/index.ts';
import type { OperationParameter, OperationResponse } from '../types.ts';
import type { SchemaMaterializer } from './materialize-schema.ts';
import type { DescriptionWarnings } from './warnings.ts';

export type Json = Record<string, unknown>;

/** What the version-specific readers extract from one operation of a dereferenced document. */
export interface OperationParts {
  readonly parameters: OperationParameter[];
  readonly requestBody?: {
    readonly required: boolean;
    readonly contentType: string;
    readonly schema?: JsonSchema;
  };
  readonly responses: OperationResponse[];
}

export interface PartsContext {
  readonly document: Json;
  readonly pathItem: Json;
  readonly operation: Json;
  /** JSON pointers of the path item and of the operation, for warnings. */
  readonly pathPointer: string;
  readonly pointer: string;
  readonly schemas: SchemaMaterializer;
  readonly warnings: DescriptionWarnings;
}

export type PartsReader = (context: PartsContext) => OperationParts;

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Path-level parameters, overridden by operation-level ones with the same `in` + `name`. */
export function mergedParameters(
  context: PartsContext,
): { readonly parameter: Json; readonly pointer: string }[] {
  const merged = new Map<string, { parameter: Json; pointer: string }>();
  const collect = (list: unknown, pointer: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((parameter, index) => {
      if (!isJson(parameter) || typeof parameter.name !== 'string' || typeof parameter.in !== 'string') {
        context.warnings.add(`${pointer}/${index}`, 'parameter without `name` and `in` ignored');
        return;
      }
      merged.set(`${parameter.in}:${parameter.name}`, { parameter, pointer: `${pointer}/${index}` });
    });
  };
  collect(context.pathItem.parameters, `${context.pathPointer}/parameters`);
  collect(context.operation.parameters, `${context.pointer}/parameters`);
  return [...merged.values()];
}

// HTTP machinery, not API input: OpenAPI 3 says these header parameters are ignored.
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

export function isIgnoredHeader(parameter: Json): boolean {
  return parameter.in === 'header' && IGNORED_HEADERS.has(String(parameter.name).toLowerCase());
}

/** Response statuses in the order a mock should prefer them: 2xx by code, then 2XX, then default, then the rest. */
export function byStatusPreference(a: OperationResponse, b: OperationResponse): number {
  const rank = (status: string) => {
    if (/^2\d\d$/.test(status)) return Number(status);
    if (/^2XX$/i.test(status)) return 300;
    if (status === 'default') return 301;
    return 1000 + (Number.parseInt(status, 10) || 999);
  };
  return rank(a.status) - rank(b.status);
}
