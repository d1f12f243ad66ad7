import { XMLParser } from 'fast-xml-parser';
import { ConfluxError } from '../../errors/index.ts';
import { attr, children, inNs, NS, resolveQName, type Scoped, type XmlNode } from './namespaced.ts';
import type { SoapBinding, SoapElement, WsdlDocument, WsdlOperation } from './types.ts';
import { createXsdConverter, type JsonSchemaObject } from './xsd-to-json-schema.ts';

const MAX_WSDL_BYTES = 10 * 1024 * 1024;

/**
 * Reads a WSDL 1.1 document: the operations of its SOAP 1.1 binding (else its SOAP 1.2 one),
 * with JSON Schemas for their request and response bodies. HTTP GET/POST bindings and operations
 * that no SOAP binding carries are reported as warnings. Parsed with entities off and DTDs refused.
 */
export function readWsdl(text: string, file: string): WsdlDocument {
  if (Buffer.byteLength(text) > MAX_WSDL_BYTES)
    throw wsdlInvalid(file, `is larger than ${MAX_WSDL_BYTES} bytes`);
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw wsdlInvalid(file, 'contains a DOCTYPE or ENTITY declaration; refused');
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: false,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  });
  let parsed: XmlNode;
  try {
    parsed = parser.parse(text, true) as XmlNode;
  } catch (error) {
    throw wsdlInvalid(file, `is not well-formed XML (${(error as Error).message})`, error);
  }
  const root = { node: parsed, scope: new Map<string, string>() };
  const definitions = children(root, inNs(NS.wsdl), 'definitions')[0];
  if (definitions === undefined) {
    throw wsdlInvalid(
      file,
      'has no wsdl:definitions root element (namespace http://schemas.xmlsoap.org/wsdl/)',
    );
  }
  const warnings: { pointer: string; message: string }[] = [];
  const warn = (pointer: string, message: string) => warnings.push({ pointer, message });
  const xsdSchemas = children(definitions, inNs(NS.wsdl), 'types').flatMap((types) =>
    children(types, (ns) => ns !== undefined && /XMLSchema$/.test(ns), 'schema'),
  );
  const xsd = createXsdConverter(xsdSchemas, { add: warn });
  const targetNamespace = attr(definitions.node, 'targetNamespace') ?? '';

  const messages = byName(children(definitions, inNs(NS.wsdl), 'message'));
  const portTypes = byName(children(definitions, inNs(NS.wsdl), 'portType'));
  const bindings = children(definitions, inNs(NS.wsdl), 'binding');
  // The same operation offered through several portTypes (SOAP, HTTP GET, HTTP POST) counts once.
  const declaredOperations = new Set(
    [...portTypes.values()].flatMap((portType) =>
      children(portType, inNs(NS.wsdl), 'operation').map((operation) => attr(operation.node, 'name')),
    ),
  ).size;

  const soapBindings = bindings
    .map((binding, index) => ({ binding, index, version: soapVersion(binding) }))
    .filter(
      (entry): entry is { binding: Scoped; index: number; version: '1.1' | '1.2' } =>
        entry.version !== undefined,
    );
  for (const [index, binding] of bindings.entries()) {
    if (soapVersion(binding) === undefined)
      warn(
        `/definitions/binding/${index}`,
        `binding ${attr(binding.node, 'name') ?? index} is not SOAP (HTTP GET/POST bindings are not imported)`,
      );
  }
  const chosen = soapBindings.find((entry) => entry.version === '1.1') ?? soapBindings[0];
  if (chosen === undefined) throw wsdlInvalid(file, 'has no SOAP 1.1 or 1.2 binding');
  for (const other of soapBindings) {
    if (other !== chosen)
      warn(
        `/definitions/binding/${other.index}`,
        `binding ${attr(other.binding.node, 'name')} (SOAP ${other.version}) is not imported; SOAP ${chosen.version} is used`,
      );
  }

  const soapNs = chosen.version === '1.1' ? NS.soap11 : NS.soap12;
  const bindingStyle =
    attr(children(chosen.binding, inNs(soapNs), 'binding')[0]?.node ?? {}, 'style') ?? 'document';
  const portTypeName = resolveQName(attr(chosen.binding.node, 'type') ?? '', chosen.binding.scope).local;
  const portType = portTypes.get(portTypeName);
  if (portType === undefined)
    throw wsdlInvalid(file, `binding refers to portType ${portTypeName}, which is not defined`);
  const portTypeIndex = [...portTypes.keys()].indexOf(portTypeName);
  const boundOperations = new Map(
    children(chosen.binding, inNs(NS.wsdl), 'operation').map((operation) => [
      attr(operation.node, 'name') ?? '',
      operation,
    ]),
  );

  const operations: WsdlOperation[] = [];
  for (const [index, operation] of children(portType, inNs(NS.wsdl), 'operation').entries()) {
    const name = attr(operation.node, 'name') ?? `operation${index}`;
    const pointer = `/definitions/portType/${portTypeIndex}/operation/${index}`;
    const bound = boundOperations.get(name);
    if (bound === undefined) {
      warn(pointer, `operation ${name} has no SOAP binding; not imported`);
      continue;
    }
    const soapOperation = children(bound, inNs(soapNs), 'operation')[0]?.node ?? {};
    const style = (attr(soapOperation, 'style') ?? bindingStyle) === 'rpc' ? 'rpc' : 'document';
    const input = body(operation, 'input', style, name, `${pointer}/input`);
    const output = body(operation, 'output', style, `${name}Response`, `${pointer}/output`);
    if (input === undefined) {
      warn(pointer, `operation ${name} has no input message; not imported`);
      continue;
    }
    const binding: SoapBinding = {
      version: chosen.version,
      action: attr(soapOperation, 'soapAction') ?? '',
      style,
      request: input.element,
      ...(output === undefined ? {} : { response: output.element }),
    };
    const documentation = textOf(children(operation, inNs(NS.wsdl), 'documentation')[0]?.node);
    operations.push({
      name,
      ...(documentation === undefined ? {} : { documentation }),
      binding,
      inputSchema: input.schema,
      ...(output === undefined ? {} : { outputSchema: output.schema }),
      pointer,
    });
  }

  const endpoints = children(definitions, inNs(NS.wsdl), 'service').flatMap((service) =>
    children(service, inNs(NS.wsdl), 'port')
      .filter(
        (port) =>
          resolveQName(attr(port.node, 'binding') ?? '', port.scope).local ===
          attr(chosen.binding.node, 'name'),
      )
      .flatMap((port) =>
        children(port, inNs(soapNs), 'address').map((address) => attr(address.node, 'location') ?? ''),
      )
      .filter((location) => location !== ''),
  );

  return {
    name: attr(definitions.node, 'name') ?? attr(chosen.binding.node, 'name') ?? file,
    targetNamespace,
    endpoints,
    operations,
    declaredOperations,
    warnings,
  };

  function body(
    operation: Scoped,
    direction: 'input' | 'output',
    style: 'document' | 'rpc',
    rpcName: string,
    pointer: string,
  ): { element: SoapElement; schema: JsonSchemaObject } | undefined {
    const reference = children(operation, inNs(NS.wsdl), direction)[0];
    if (reference === undefined) return undefined;
    const messageName = resolveQName(attr(reference.node, 'message') ?? '', reference.scope).local;
    const message = messages.get(messageName);
    if (message === undefined) {
      warn(pointer, `message ${messageName} is not defined; the body is open`);
      return { element: { name: rpcName, namespace: targetNamespace, qualified: false }, schema: {} };
    }
    const parts = children(message, inNs(NS.wsdl), 'part');
    if (style === 'document') {
      const part = parts[0];
      const elementName = part === undefined ? undefined : attr(part.node, 'element');
      if (part === undefined || elementName === undefined) {
        warn(pointer, `document-style message ${messageName} has no element part; the body is open`);
        return { element: { name: rpcName, namespace: targetNamespace, qualified: false }, schema: {} };
      }
      if (parts.length > 1)
        warn(pointer, `message ${messageName} has ${parts.length} parts; only the first goes in the body`);
      const { namespace, local } = resolveQName(elementName, part.scope);
      const info = xsd.element(namespace, local);
      if (info === undefined) {
        warn(pointer, `element ${elementName} is not defined in the WSDL types; the body is open`);
        return {
          element: { name: local, namespace: namespace ?? targetNamespace, qualified: false },
          schema: {},
        };
      }
      return {
        element: { name: info.name, namespace: info.namespace, qualified: info.qualified },
        schema: info.schema,
      };
    }
    // rpc: a wrapper named after the operation, one child per part.
    const properties: Record<string, unknown> = {};
    for (const [index, part] of parts.entries()) {
      const partName = attr(part.node, 'name') ?? `part${index}`;
      const type = attr(part.node, 'type');
      properties[partName] = type === undefined ? {} : xsd.type(type, part.scope, `${pointer}/part/${index}`);
    }
    return {
      element: { name: rpcName, namespace: targetNamespace, qualified: false },
      schema: { type: 'object', properties },
    };
  }
}

function soapVersion(binding: Scoped): '1.1' | '1.2' | undefined {
  if (children(binding, inNs(NS.soap11), 'binding').length > 0) return '1.1';
  if (children(binding, inNs(NS.soap12), 'binding').length > 0) return '1.2';
  return undefined;
}

function byName(items: readonly Scoped[]): Map<string, Scoped> {
  return new Map(items.map((item) => [attr(item.node, 'name') ?? '', item]));
}

function textOf(node: XmlNode | undefined): string | undefined {
  const value = node?.['#text'];
  return typeof value === 'string' ? value.trim() : undefined;
}

function wsdlInvalid(file: string, problem: string, cause?: unknown): ConfluxError {
  return new ConfluxError('SYSTEM_DESCRIPTION_INVALID', `WSDL ${file} ${problem}.`, {
    details: { file, problem },
    ...(cause === undefined ? {} : { cause }),
  });
}
