import { isAbsolute, resolve } from 'node:path';
import { loadFhirDescription } from '../fhir/load-fhir-description.ts';
import { detectDescriptionKind } from '../import/detect-kind.ts';
import { loadAsyncApiDescription } from '../import/load-asyncapi-description.ts';
import { loadWsdlDescription } from '../import/load-wsdl-description.ts';
import type { SystemDescription } from '../types.ts';
import { dereferenceDocument } from './dereference-document.ts';
import { createSchemaMaterializer } from './materialize-schema.ts';
import { isJson } from './operation-parts.ts';
import { prepareReferences } from './prepare-references.ts';
import { readDocument } from './read-document.ts';
import { readOperations } from './read-operations.ts';
import { readServers } from './read-servers.ts';
import { createDescriptionWarnings } from './warnings.ts';

/**
 * Reads an OpenAPI 2.0 / 3.0 / 3.1 document (JSON or YAML) with its relative-file references and
 * returns its operations as plain JSON Schema, ready for validation, mocking and calling. AsyncAPI
 * 2/3 and WSDL 1.1 documents are recognised by their content and read by src/systems/import,
 * FHIR R4 CapabilityStatements by src/systems/fhir.
 * Throws SYSTEM_DESCRIPTION_INVALID naming the file and the problem.
 */
export async function loadSystemDescription(file: string): Promise<SystemDescription> {
  const path = isAbsolute(file) ? file : resolve(file);
  const kind = await detectDescriptionKind(path);
  if (kind === 'wsdl') return loadWsdlDescription(path);
  if (kind === 'asyncapi') return loadAsyncApiDescription(path);
  if (kind === 'fhir') return loadFhirDescription(path);
  const { document: raw, specVersion } = await readDocument(path);
  const warnings = createDescriptionWarnings();
  prepareReferences(raw, path, warnings);
  const document = await dereferenceDocument(raw, path);
  if (document.webhooks !== undefined) warnings.add('/webhooks', 'webhooks are not imported as operations');
  const operations = readOperations(document, specVersion, createSchemaMaterializer(warnings), warnings);
  const info = isJson(document.info) ? document.info : {};
  return {
    kind: 'openapi',
    title: typeof info.title === 'string' ? info.title : path,
    version: info.version === undefined ? '' : String(info.version),
    specVersion,
    servers: readServers(document, specVersion),
    operations,
    warnings: warnings.list(),
  };
}
