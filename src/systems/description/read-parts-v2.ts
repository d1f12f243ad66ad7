import type { JsonSchema } from '../../project/index.ts';
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

// Swagger 2 spells a non-body parameter's schema inline, beside name/in/description.
const NOT_SCHEMA = new Set([
  'name',
  'in',
  'description',
  'required',
  'collectionFormat',
  'allowEmptyValue',
  'schema',
]);

/**
 * Parameters, request body and responses of a Swagger 2.0 operation, in OpenAPI 3 terms: the
 * `in: body` parameter becomes the request body, `in: formData` ones become a form body whose
 * properties are the fields, and `consumes` / `produces` pick the media types.
 */
export const readPartsV2: PartsReader = (context) => {
  const consumes = mediaTypes(context.operation.consumes ?? context.document.consumes);
  const parameters: OperationParameter[] = [];
  const formFields: Record<string, JsonSchema> = {};
  const formRequired: string[] = [];
  let hasFile = false;
  let requestBody: OperationParts['requestBody'];

  for (const { parameter, pointer } of mergedParameters(context)) {
    const name = String(parameter.name);
    if (parameter.in === 'body') {
      requestBody = {
        required: parameter.required === true,
        contentType: preferJson(consumes) ?? 'application/json',
        schema: context.schemas.schema(parameter.schema ?? {}, `${pointer}/schema`, 'request'),
      };
      continue;
    }
    const schema = inlineSchema(parameter, pointer, context);
    if (parameter.in === 'formData') {
      formFields[name] = schema;
      if (parameter.required === true) formRequired.push(name);
      if (parameter.type === 'file') hasFile = true;
      continue;
    }
    if (!['path', 'query', 'header'].includes(String(parameter.in))) {
      context.warnings.add(
        pointer,
        `parameter location "${String(parameter.in)}" is not Swagger 2.0; ignored`,
      );
      continue;
    }
    if (isIgnoredHeader(parameter)) continue;
    parameters.push({
      name,
      in: parameter.in as OperationParameter['in'],
      required: parameter.in === 'path' || parameter.required === true,
      schema,
    });
  }

  if (requestBody === undefined && Object.keys(formFields).length > 0) {
    const multipart = hasFile || consumes.some((type) => type.startsWith('multipart/form-data'));
    requestBody = {
      required: formRequired.length > 0,
      contentType: multipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded',
      schema: {
        type: 'object',
        properties: formFields,
        ...(formRequired.length > 0 ? { required: formRequired } : {}),
      },
    };
  }
  const responses = readResponses(context);
  return requestBody === undefined ? { parameters, responses } : { parameters, requestBody, responses };
};

function mediaTypes(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((type): type is string => typeof type === 'string') : [];
}

function inlineSchema(parameter: Json, pointer: string, context: PartsContext): JsonSchema {
  const inline: Json = {};
  for (const [key, value] of Object.entries(parameter)) if (!NOT_SCHEMA.has(key)) inline[key] = value;
  if (typeof parameter.description === 'string') inline.description = parameter.description;
  return context.schemas.schema(inline, pointer, 'request');
}

function readResponses(context: PartsContext): OperationResponse[] {
  const produces = mediaTypes(context.operation.produces ?? context.document.produces);
  const responses: OperationResponse[] = [];
  if (!isJson(context.operation.responses)) return responses;
  for (const [status, response] of Object.entries(context.operation.responses)) {
    if (!isJson(response) || status.startsWith('x-')) continue;
    const at = appendPointer(`${context.pointer}/responses`, status);
    const examples = isJson(response.examples) ? response.examples : {};
    const exampleType = preferJson(Object.keys(examples));
    const contentType =
      preferJson(produces) ?? exampleType ?? (response.schema === undefined ? undefined : 'application/json');
    const example = exampleType === undefined ? undefined : examples[exampleType];
    responses.push({
      status,
      ...(contentType === undefined ? {} : { contentType }),
      ...(response.schema === undefined
        ? {}
        : { schema: context.schemas.schema(response.schema, `${at}/schema`, 'response') }),
      ...(example === undefined ? {} : { example: context.schemas.value(example) }),
    });
  }
  return responses.sort(byStatusPreference);
}
