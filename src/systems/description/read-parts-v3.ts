import type { OperationParameter, OperationResponse } from '../types.ts';
import { appendPointer } from './json-pointer.ts';
import { preferJson } from './media-type.ts';
import {
  byStatusPreference,
  isIgnoredHeader,
  isJson,
  type Json,
  mergedParameters,
  type OperationParts,
  type PartsContext,
  type PartsReader,
} from './operation-parts.ts';

const LOCATIONS = new Set(['path', 'query', 'header', 'cookie']);

/** Parameters, request body and responses of an OpenAPI 3.0 / 3.1 operation. */
export const readPartsV3: PartsReader = (context) => {
  if (context.operation.callbacks !== undefined) {
    context.warnings.add(
      `${context.pointer}/callbacks`,
      'callbacks are not imported; the operation works without them',
    );
  }
  const parts: OperationParts = { parameters: readParameters(context), responses: readResponses(context) };
  const body = context.operation.requestBody;
  if (isJson(body) && isJson(body.content)) {
    const contentType = preferJson(Object.keys(body.content));
    const media = contentType === undefined ? undefined : body.content[contentType];
    if (contentType !== undefined) {
      const at = appendPointer(`${context.pointer}/requestBody/content`, contentType);
      const requestBody = {
        required: body.required === true,
        contentType,
        ...(isJson(media) && media.schema !== undefined
          ? { schema: context.schemas.schema(media.schema, `${at}/schema`, 'request') }
          : {}),
      };
      return { ...parts, requestBody };
    }
  }
  return parts;
};

function readParameters(context: PartsContext): OperationParameter[] {
  const parameters: OperationParameter[] = [];
  for (const { parameter, pointer } of mergedParameters(context)) {
    if (!LOCATIONS.has(String(parameter.in))) {
      context.warnings.add(pointer, `parameter location "${String(parameter.in)}" is not OpenAPI 3; ignored`);
      continue;
    }
    if (isIgnoredHeader(parameter)) continue;
    let schemaSource: unknown = parameter.schema;
    let schemaPointer = `${pointer}/schema`;
    if (schemaSource === undefined && isJson(parameter.content)) {
      const type = preferJson(Object.keys(parameter.content));
      const media = type === undefined ? undefined : parameter.content[type];
      if (isJson(media)) schemaSource = media.schema;
      schemaPointer = `${appendPointer(`${pointer}/content`, type ?? '')}/schema`;
    }
    const schema = context.schemas.schema(schemaSource ?? {}, schemaPointer, 'request');
    parameters.push({
      name: String(parameter.name),
      in: parameter.in as OperationParameter['in'],
      required: parameter.in === 'path' || parameter.required === true,
      schema:
        typeof parameter.description === 'string' &&
        typeof schema === 'object' &&
        schema.description === undefined
          ? { ...schema, description: parameter.description }
          : schema,
    });
  }
  return parameters;
}

function readResponses(context: PartsContext): OperationResponse[] {
  const responses: OperationResponse[] = [];
  if (!isJson(context.operation.responses)) return responses;
  for (const [status, response] of Object.entries(context.operation.responses)) {
    if (!isJson(response) || status.startsWith('x-')) continue;
    const at = appendPointer(`${context.pointer}/responses`, status);
    const content = isJson(response.content) ? response.content : {};
    const contentType = preferJson(Object.keys(content));
    const media = contentType === undefined ? undefined : content[contentType];
    if (contentType === undefined || !isJson(media)) {
      responses.push({ status });
      continue;
    }
    const mediaPointer = appendPointer(`${at}/content`, contentType);
    const example = exampleOf(media, mediaPointer, context);
    responses.push({
      status,
      contentType,
      ...(media.schema === undefined
        ? {}
        : { schema: context.schemas.schema(media.schema, `${mediaPointer}/schema`, 'response') }),
      ...(example === undefined ? {} : { example: context.schemas.value(example) }),
    });
  }
  return responses.sort(byStatusPreference);
}

function exampleOf(media: Json, pointer: string, context: PartsContext): unknown {
  if (media.example !== undefined) return media.example;
  if (!isJson(media.examples)) return undefined;
  for (const [name, example] of Object.entries(media.examples)) {
    if (!isJson(example)) continue;
    if (example.value !== undefined) return example.value;
    if (example.externalValue !== undefined) {
      context.warnings.add(
        appendPointer(`${pointer}/examples`, name),
        'externalValue examples are not fetched',
      );
    }
  }
  return undefined;
}
