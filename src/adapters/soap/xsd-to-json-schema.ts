import { attr, children, isXsd, resolveQName, type Scoped } from './namespaced.ts';

export type JsonSchemaObject = Record<string, unknown>;

export interface XsdWarnings {
  add(pointer: string, message: string): void;
}

export interface XsdElementInfo {
  readonly name: string;
  readonly namespace: string;
  /** elementFormDefault="qualified": child elements carry the schema's namespace too. */
  readonly qualified: boolean;
  readonly schema: JsonSchemaObject;
}

const MAX_DEPTH = 12;
const INTEGER = new Set([
  'int',
  'integer',
  'long',
  'short',
  'byte',
  'nonNegativeInteger',
  'positiveInteger',
  'negativeInteger',
  'nonPositiveInteger',
  'unsignedInt',
  'unsignedLong',
  'unsignedShort',
  'unsignedByte',
]);
const NUMBER = new Set(['decimal', 'float', 'double']);
const FORMATS: Record<string, string> = { dateTime: 'date-time', date: 'date', time: 'time', anyURI: 'uri' };

interface SchemaEntry {
  readonly scoped: Scoped;
  readonly namespace: string;
  readonly qualified: boolean;
  readonly pointer: string;
  readonly kind: 'element' | 'complexType' | 'simpleType';
}

/**
 * Converts the XML Schemas of a WSDL's `types` into JSON Schema for the JSON that SOAP bodies
 * become (`parseXml`): elements are properties, repeated elements arrays, attributes `@_name`.
 * Unsupported constructs (any, substitution groups, imports of other files) become open
 * schemas with a warning by pointer.
 */
export function createXsdConverter(schemas: readonly Scoped[], warnings: XsdWarnings) {
  const elements = new Map<string, SchemaEntry>();
  const types = new Map<string, SchemaEntry>();
  schemas.forEach((schema, index) => {
    const namespace = attr(schema.node, 'targetNamespace') ?? '';
    const qualified = attr(schema.node, 'elementFormDefault') === 'qualified';
    const pointer = `/definitions/types/schema/${index}`;
    for (const kind of ['element', 'complexType', 'simpleType'] as const) {
      for (const [position, scoped] of children(schema, isXsd, kind).entries()) {
        const name = attr(scoped.node, 'name');
        if (name === undefined) continue;
        const entry = { scoped, namespace, qualified, kind, pointer: `${pointer}/${kind}/${position}` };
        (kind === 'element' ? elements : types).set(`{${namespace}}${name}`, entry);
      }
    }
    if (children(schema, isXsd, 'import').some((item) => attr(item.node, 'schemaLocation') !== undefined)) {
      warnings.add(
        `${pointer}/import`,
        'schema imports from other files are not fetched; their types are open',
      );
    }
  });

  function typeSchema(
    qname: string,
    scope: ReadonlyMap<string, string>,
    pointer: string,
    depth: number,
  ): JsonSchemaObject {
    const { namespace, local } = resolveQName(qname, scope);
    if (isXsd(namespace) || (namespace === undefined && !types.has(`{}${local}`))) return builtin(local);
    const entry = types.get(`{${namespace ?? ''}}${local}`);
    if (entry === undefined) {
      warnings.add(pointer, `type ${qname} is not defined in the WSDL; treated as any value`);
      return {};
    }
    if (depth > MAX_DEPTH) {
      warnings.add(
        entry.pointer,
        `type ${local} nests deeper than ${MAX_DEPTH} levels; cut to an open schema`,
      );
      return {};
    }
    return entry.kind === 'complexType'
      ? complexType(entry.scoped, entry.pointer, depth + 1)
      : simpleType(entry.scoped, entry.pointer, depth + 1);
  }

  function anyType(scoped: Scoped, pointer: string, depth: number): JsonSchemaObject {
    const complex = children(scoped, isXsd, 'complexType')[0];
    const simple = children(scoped, isXsd, 'simpleType')[0];
    if (complex !== undefined) return complexType(complex, `${pointer}/complexType`, depth);
    if (simple !== undefined) return simpleType(simple, `${pointer}/simpleType`, depth);
    // An element with neither a type nor inline content holds any value (xsd:anyType).
    return {};
  }

  function complexType(scoped: Scoped, pointer: string, depth: number): JsonSchemaObject {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    const collect = (group: Scoped, groupPointer: string, optional: boolean) => {
      for (const [index, element] of children(group, isXsd, 'element').entries()) {
        const info = elementSchema(element, `${groupPointer}/element/${index}`, depth);
        if (info === undefined) continue;
        properties[info.name] = info.schema;
        if (!optional && attr(element.node, 'minOccurs') !== '0') required.push(info.name);
      }
      for (const kind of ['sequence', 'all', 'choice'] as const) {
        for (const [index, nested] of children(group, isXsd, kind).entries()) {
          collect(
            nested,
            `${groupPointer}/${kind}/${index}`,
            optional || kind === 'choice' || attr(nested.node, 'minOccurs') === '0',
          );
        }
      }
      if (children(group, isXsd, 'any').length > 0)
        warnings.add(`${groupPointer}/any`, 'xsd:any is open: any extra element is accepted');
    };
    collect(scoped, pointer, false);
    let base: JsonSchemaObject | undefined;
    for (const content of [
      ...children(scoped, isXsd, 'complexContent'),
      ...children(scoped, isXsd, 'simpleContent'),
    ]) {
      for (const kind of ['extension', 'restriction'] as const) {
        for (const derived of children(content, isXsd, kind)) {
          const baseName = attr(derived.node, 'base');
          if (baseName !== undefined)
            base = typeSchema(baseName, derived.scope, `${pointer}/${kind}`, depth + 1);
          collect(derived, `${pointer}/${kind}`, false);
          addAttributes(derived, properties);
        }
      }
    }
    addAttributes(scoped, properties);
    let schema: JsonSchemaObject = {
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
    };
    if (base !== undefined) {
      if (base.type === 'object') {
        schema = {
          type: 'object',
          properties: { ...(base.properties as object | undefined), ...properties },
          required: [...((base.required as string[] | undefined) ?? []), ...required],
        };
      } else {
        // simpleContent: the element's text beside its attributes.
        schema = { type: 'object', properties: { '#text': base, ...properties } };
      }
    }
    return schema;
  }

  function addAttributes(scoped: Scoped, properties: Record<string, unknown>): void {
    for (const attribute of children(scoped, isXsd, 'attribute')) {
      const name = attr(attribute.node, 'name');
      const type = attr(attribute.node, 'type');
      if (name !== undefined)
        properties[`@_${name}`] =
          type === undefined ? { type: 'string' } : builtin(resolveQName(type, attribute.scope).local);
    }
  }

  function simpleType(scoped: Scoped, pointer: string, depth: number): JsonSchemaObject {
    const restriction = children(scoped, isXsd, 'restriction')[0];
    if (restriction === undefined)
      return children(scoped, isXsd, 'list').length > 0 ? { type: 'string' } : {};
    const baseName = attr(restriction.node, 'base');
    const base =
      baseName === undefined
        ? {}
        : typeSchema(baseName, restriction.scope, `${pointer}/restriction`, depth + 1);
    const values = children(restriction, isXsd, 'enumeration')
      .map((item) => attr(item.node, 'value'))
      .filter((value): value is string => value !== undefined);
    return values.length > 0
      ? { ...base, enum: base.type === 'string' || base.type === undefined ? values : values.map(Number) }
      : base;
  }

  function elementSchema(
    scoped: Scoped,
    pointer: string,
    depth: number,
  ): { name: string; schema: JsonSchemaObject } | undefined {
    const reference = attr(scoped.node, 'ref');
    if (reference !== undefined) {
      const { namespace, local } = resolveQName(reference, scoped.scope);
      const target = elements.get(`{${namespace ?? ''}}${local}`);
      if (target === undefined) {
        warnings.add(pointer, `element reference ${reference} is not defined; treated as any value`);
        return { name: local, schema: {} };
      }
      return { name: local, schema: repeat(scoped, elementBody(target.scoped, target.pointer, depth + 1)) };
    }
    const name = attr(scoped.node, 'name');
    if (name === undefined) return undefined;
    return { name, schema: repeat(scoped, elementBody(scoped, pointer, depth + 1)) };
  }

  function elementBody(scoped: Scoped, pointer: string, depth: number): JsonSchemaObject {
    if (depth > MAX_DEPTH) {
      warnings.add(pointer, `element nests deeper than ${MAX_DEPTH} levels; cut to an open schema`);
      return {};
    }
    const type = attr(scoped.node, 'type');
    const schema =
      type === undefined
        ? anyType(scoped, pointer, depth)
        : typeSchema(type, scoped.scope, `${pointer}/@type`, depth);
    return attr(scoped.node, 'nillable') === 'true' ? { anyOf: [schema, { type: 'null' }] } : schema;
  }

  return {
    /** A global element by namespace and local name: the body of a document/literal message part. */
    element(namespace: string | undefined, local: string): XsdElementInfo | undefined {
      const entry = elements.get(`{${namespace ?? ''}}${local}`) ?? findByLocal(local);
      if (entry === undefined) return undefined;
      return {
        name: local,
        namespace: entry.namespace,
        qualified: entry.qualified,
        schema: elementBody(entry.scoped, entry.pointer, 0),
      };
    },
    type(qname: string, scope: ReadonlyMap<string, string>, pointer: string): JsonSchemaObject {
      return typeSchema(qname, scope, pointer, 0);
    },
  };

  function findByLocal(local: string): SchemaEntry | undefined {
    const matches = [...elements].filter(([key]) => key.endsWith(`}${local}`));
    return matches.length === 1 ? matches[0]?.[1] : undefined;
  }
}

/** maxOccurs above one: the element may repeat, and a parsed document holds one value or an array. */
function repeat(scoped: Scoped, schema: JsonSchemaObject): JsonSchemaObject {
  const max = attr(scoped.node, 'maxOccurs');
  if (max === undefined || max === '1' || max === '0') return schema;
  return { anyOf: [{ type: 'array', items: schema }, schema] };
}

function builtin(local: string): JsonSchemaObject {
  if (
    local === 'string' ||
    local === 'normalizedString' ||
    local === 'token' ||
    local === 'base64Binary' ||
    local === 'hexBinary' ||
    local === 'QName'
  )
    return { type: 'string' };
  if (INTEGER.has(local)) return { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[-+]?\\d+$' }] };
  if (NUMBER.has(local)) return { anyOf: [{ type: 'number' }, { type: 'string' }] };
  if (local === 'boolean') return { anyOf: [{ type: 'boolean' }, { enum: ['true', 'false', '1', '0'] }] };
  const format = FORMATS[local];
  if (format !== undefined) return { type: 'string', format };
  return {};
}
