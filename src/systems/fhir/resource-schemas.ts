/**
 * The JSON Schemas FHIR operations are typed with. A CapabilityStatement names resource types,
 * not their structure, so a resource is typed by what every R4 resource has (resourceType, id,
 * meta) and stays open for the rest; Bundle and OperationOutcome are spelled out because the
 * caller and the pager read them.
 */
import type { JsonSchema } from '../../project/index.ts';

export const FHIR_JSON = 'application/fhir+json';

/**
 * A resource of `type`. `stored`: as a server answers it, with the `id` and `meta.lastUpdated`
 * it assigns (sync cursors read them); otherwise as sent, where both are optional.
 */
export function resourceSchema(type: string, stored = false): JsonSchema {
  return {
    type: 'object',
    required: stored ? ['resourceType', 'id', 'meta'] : ['resourceType'],
    properties: {
      resourceType: { const: type },
      id: { type: 'string', pattern: '^[A-Za-z0-9\\-.]{1,64}$' },
      meta: {
        type: 'object',
        ...(stored ? { required: ['lastUpdated'] } : {}),
        properties: {
          versionId: { type: 'string' },
          lastUpdated: { type: 'string', format: 'date-time' },
        },
      },
    },
  };
}

/** A searchset Bundle of `type` resources: entries, total and the paging links (`next`). */
export function searchsetSchema(type: string): JsonSchema {
  return {
    type: 'object',
    required: ['resourceType', 'type'],
    properties: {
      resourceType: { const: 'Bundle' },
      type: { const: 'searchset' },
      total: { type: 'integer', minimum: 0 },
      link: {
        type: 'array',
        items: {
          type: 'object',
          required: ['relation', 'url'],
          properties: { relation: { type: 'string' }, url: { type: 'string' } },
        },
      },
      entry: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            fullUrl: { type: 'string' },
            resource: resourceSchema(type, true),
            search: { type: 'object', properties: { mode: { enum: ['match', 'include', 'outcome'] } } },
          },
        },
      },
    },
  };
}

export const operationOutcomeSchema: JsonSchema = {
  type: 'object',
  required: ['resourceType', 'issue'],
  properties: {
    resourceType: { const: 'OperationOutcome' },
    issue: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['severity', 'code'],
        properties: {
          severity: { enum: ['fatal', 'error', 'warning', 'information'] },
          code: { type: 'string' },
          diagnostics: { type: 'string' },
          details: { type: 'object', properties: { text: { type: 'string' } } },
          expression: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};
