import { readFile } from 'node:fs/promises';
import type { JsonSchema } from '../../project/index.ts';
import { appendPointer } from '../description/json-pointer.ts';
import { descriptionInvalid, parseText } from '../description/read-document.ts';
import { createDescriptionWarnings, type DescriptionWarnings } from '../description/warnings.ts';
import type { Operation, OperationParameter, SystemDescription } from '../types.ts';
import { FHIR_JSON, resourceSchema, searchsetSchema } from './resource-schemas.ts';
import { searchParameters } from './search-parameters.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** A Bundle's next page is in `link[relation=next].url`; each item is an entry `{ fullUrl, resource, search }`. */
export const BUNDLE_PAGING = {
  style: 'next-url',
  nextUrl: 'link[relation=next].url',
  items: 'entry',
} as const;

const ID: OperationParameter = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9\\-.]{1,64}$' },
};

/**
 * A FHIR R4 server as a system, from its CapabilityStatement (what `GET [base]/metadata`
 * answers, JSON or YAML): per resource type the declared RESTful interactions become operations
 * `read<Type>`, `search<Type>`, `create<Type>`, `update<Type>` and `delete<Type>`. Searches take
 * the declared search parameters plus the common ones (`_lastUpdated`, `_count`, ...) and page
 * through Bundle `next` links. Interactions outside these five are warnings with their pointer.
 */
export async function loadFhirDescription(file: string): Promise<SystemDescription> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw descriptionInvalid(file, 'file not found or unreadable', error);
  }
  const statement = parseText(file, text);
  if (!isObject(statement) || statement.resourceType !== 'CapabilityStatement') {
    throw descriptionInvalid(
      file,
      'expected a FHIR CapabilityStatement (`resourceType: CapabilityStatement`)',
    );
  }
  const fhirVersion = typeof statement.fhirVersion === 'string' ? statement.fhirVersion : '';
  if (!/^4\.0(\.\d+)?$/.test(fhirVersion)) {
    throw descriptionInvalid(file, `fhirVersion "${fhirVersion}" is not supported; expected FHIR R4 (4.0.x)`);
  }
  const rest = Array.isArray(statement.rest) ? statement.rest : [];
  const serverIndex = rest.findIndex((entry) => isObject(entry) && entry.mode === 'server');
  const server = rest[serverIndex];
  if (!isObject(server)) {
    throw descriptionInvalid(file, 'the CapabilityStatement has no `rest` entry with `mode: server`');
  }
  const warnings = createDescriptionWarnings();
  const pointer = `/rest/${serverIndex}`;
  for (const [index, interaction] of list(server.interaction).entries()) {
    warnings.add(
      `${pointer}/interaction/${index}`,
      `system-level interaction "${String(interaction.code)}" is not imported as an operation`,
    );
  }
  for (const [index, operation] of list(server.operation).entries()) {
    warnings.add(
      `${pointer}/operation/${index}`,
      `operation $${String(operation.name)} is not imported; call it through an http step`,
    );
  }
  const operations = new Map<string, Operation>();
  for (const [index, resource] of list(server.resource).entries()) {
    readResource(resource, `${pointer}/resource/${index}`, operations, warnings);
  }
  const software = isObject(statement.software) ? statement.software : {};
  const implementation = isObject(statement.implementation) ? statement.implementation : {};
  const title = [statement.title, statement.name, software.name].find((value) => typeof value === 'string');
  const version = [statement.version, software.version].find((value) => typeof value === 'string');
  return {
    kind: 'fhir',
    title: (title as string | undefined) ?? file,
    version: (version as string | undefined) ?? '',
    specVersion: fhirVersion,
    servers: typeof implementation.url === 'string' ? [implementation.url] : [],
    operations,
    warnings: warnings.list(),
  };
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function readResource(
  resource: Json,
  pointer: string,
  operations: Map<string, Operation>,
  warnings: DescriptionWarnings,
): void {
  const type = resource.type;
  if (typeof type !== 'string' || !RESOURCE_TYPE.test(type)) {
    warnings.add(
      appendPointer(pointer, 'type'),
      `resource type ${JSON.stringify(type)} is not a FHIR type name`,
    );
    return;
  }
  const declared = list(resource.searchParam)
    .map((parameter) => parameter.name)
    .filter((name): name is string => typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name));
  const sent = resourceSchema(type);
  const stored = resourceSchema(type, true);
  for (const [index, interaction] of list(resource.interaction).entries()) {
    const code = interaction.code;
    const build = INTERACTIONS[code as keyof typeof INTERACTIONS];
    if (build === undefined) {
      warnings.add(
        `${pointer}/interaction/${index}`,
        `interaction "${String(code)}" on ${type} is not imported as an operation`,
      );
      continue;
    }
    const operation = build(type, { sent, stored }, declared);
    operations.set(operation.id, operation);
  }
}

type Build = (
  type: string,
  schemas: { readonly sent: JsonSchema; readonly stored: JsonSchema },
  searchParams: readonly string[],
) => Operation;

const answer = (status: string, schema: JsonSchema) => ({ status, contentType: FHIR_JSON, schema });

function operation(
  id: string,
  method: string,
  path: string,
  summary: string,
  parameters: readonly OperationParameter[],
  parts: Pick<Operation, 'responses'> & { body?: JsonSchema; pagination?: Operation['pagination'] },
): Operation {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const parameter of parameters) {
    properties[parameter.name] = parameter.schema;
    if (parameter.required) required.push(parameter.name);
  }
  if (parts.body !== undefined) {
    properties.body = parts.body;
    required.push('body');
  }
  return {
    id,
    method,
    path,
    summary,
    parameters,
    ...(parts.body === undefined
      ? {}
      : { requestBody: { required: true, contentType: FHIR_JSON, schema: parts.body } }),
    responses: parts.responses,
    inputSchema: { type: 'object', properties, required, additionalProperties: false },
    ...(parts.pagination === undefined ? {} : { pagination: parts.pagination }),
  };
}

const INTERACTIONS: Record<string, Build> = {
  read: (type, { stored }) =>
    operation(`read${type}`, 'GET', `/${type}/{id}`, `Read a ${type} by id`, [ID], {
      responses: [answer('200', stored)],
    }),
  'search-type': (type, _schemas, declared) =>
    operation(
      `search${type}`,
      'GET',
      `/${type}`,
      `Search ${type} resources (a searchset Bundle)`,
      searchParameters(declared),
      {
        responses: [answer('200', searchsetSchema(type))],
        pagination: BUNDLE_PAGING,
      },
    ),
  create: (type, { sent, stored }) =>
    operation(`create${type}`, 'POST', `/${type}`, `Create a ${type}`, [], {
      body: sent,
      responses: [answer('201', stored)],
    }),
  update: (type, { sent, stored }) =>
    operation(`update${type}`, 'PUT', `/${type}/{id}`, `Update (or create) the ${type} with this id`, [ID], {
      body: sent,
      responses: [answer('200', stored), answer('201', stored)],
    }),
  delete: (type) =>
    operation(`delete${type}`, 'DELETE', `/${type}/{id}`, `Delete the ${type} with this id`, [ID], {
      responses: [{ status: '204' }, { status: '200' }],
    }),
};
