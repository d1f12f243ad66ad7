import { open } from 'node:fs/promises';
import { extname } from 'node:path';

export type DescriptionKind = 'openapi' | 'asyncapi' | 'wsdl' | 'fhir';

/**
 * Which kind of API description a file holds, from its extension and first bytes: XML is WSDL,
 * a top-level `asyncapi` field is AsyncAPI, a FHIR CapabilityStatement is a FHIR server,
 * anything else is read as OpenAPI (whose reader
 * gives the precise error when it is not).
 */
export async function detectDescriptionKind(file: string): Promise<DescriptionKind> {
  const extension = extname(file).toLowerCase();
  if (extension === '.wsdl') return 'wsdl';
  let head = '';
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return 'openapi';
  }
  if (/^\uFEFF?\s*</.test(head)) return 'wsdl';
  if (/^\s*asyncapi\s*:/m.test(head) || /"asyncapi"\s*:/.test(head)) return 'asyncapi';
  // An OpenAPI document may quote a CapabilityStatement in an example; it stays OpenAPI.
  const openapi = /^(openapi|swagger)\s*:/m.test(head) || /"(openapi|swagger)"\s*:/.test(head);
  const capability =
    /^resourceType\s*:\s*["']?CapabilityStatement\b/m.test(head) ||
    /"resourceType"\s*:\s*"CapabilityStatement"/.test(head);
  if (capability && !openapi) return 'fhir';
  return 'openapi';
}
