import { ConfluxError } from '../../errors/index.ts';
import { buildXml } from '../xml/build-xml.ts';
import { parseXml, type XmlLimits } from '../xml/parse-xml.ts';
import type { SoapBinding, SoapElement } from './types.ts';

export const ENVELOPE_NS = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
} as const;

export interface SoapFault {
  readonly code: string;
  readonly reason: string;
  readonly detail?: unknown;
}

export type SoapMessage =
  | { readonly kind: 'body'; readonly value: unknown }
  | { readonly kind: 'fault'; readonly fault: SoapFault };

/** A JSON body wrapped as the SOAP request (or response) element of an operation. */
export function buildEnvelope(version: SoapBinding['version'], element: SoapElement, body: unknown): string {
  const content =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  // Qualified children share the element's namespace: a default namespace says that. Unqualified
  // children must stay in no namespace, so only the element itself takes a prefix.
  const wrapped = element.qualified
    ? { [element.name]: { '@_xmlns': element.namespace, ...content } }
    : { [`m:${element.name}`]: { '@_xmlns:m': element.namespace, ...content } };
  return `<?xml version="1.0" encoding="utf-8"?>${buildXml({
    'soap:Envelope': { '@_xmlns:soap': ENVELOPE_NS[version], 'soap:Body': wrapped },
  })}`;
}

/** A SOAP fault envelope, as a service (our mock, our tests) answers it. */
export function buildFault(version: SoapBinding['version'], fault: SoapFault): string {
  const body =
    version === '1.1'
      ? {
          'soap:Fault': {
            faultcode: `soap:${fault.code}`,
            faultstring: fault.reason,
            ...(fault.detail === undefined ? {} : { detail: fault.detail }),
          },
        }
      : {
          'soap:Fault': {
            'soap:Code': { 'soap:Value': `soap:${fault.code}` },
            'soap:Reason': { 'soap:Text': { '@_xml:lang': 'en', '#text': fault.reason } },
            ...(fault.detail === undefined ? {} : { 'soap:Detail': fault.detail }),
          },
        };
  return `<?xml version="1.0" encoding="utf-8"?>${buildXml({
    'soap:Envelope': { '@_xmlns:soap': ENVELOPE_NS[version], 'soap:Body': body },
  })}`;
}

/** HTTP headers for a SOAP request: 1.1 uses text/xml + SOAPAction, 1.2 an `action` media-type parameter. */
export function soapHeaders(binding: SoapBinding): Record<string, string> {
  if (binding.version === '1.1') {
    return {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: JSON.stringify(binding.action),
      accept: 'text/xml',
    };
  }
  const action = binding.action === '' ? '' : `; action=${JSON.stringify(binding.action)}`;
  return { 'content-type': `application/soap+xml; charset=utf-8${action}`, accept: 'application/soap+xml' };
}

/** Reads an envelope (either version): the Body's element content as JSON, or its fault. */
export function parseEnvelope(text: string, limits: XmlLimits = {}): SoapMessage {
  const document = parseXml(text, limits);
  const envelope = record(document.Envelope);
  const body = record(envelope?.Body);
  if (envelope === undefined || body === undefined) {
    throw new ConfluxError(
      'ADAPTER_XML_INVALID',
      'XML document is not a SOAP envelope: expected Envelope/Body.',
      {
        details: { expected: 'Envelope/Body', retryable: false },
      },
    );
  }
  const fault = record(body.Fault);
  if (fault !== undefined) return { kind: 'fault', fault: readFault(fault) };
  const name = Object.keys(body).find((key) => !key.startsWith('@_'));
  return { kind: 'body', value: name === undefined ? {} : withoutNamespaceAttributes(body[name]) };
}

function readFault(fault: Record<string, unknown>): SoapFault {
  // 1.1: faultcode/faultstring/detail; 1.2: Code/Value, Reason/Text, Detail.
  const code = text(fault.faultcode) ?? text(record(fault.Code)?.Value) ?? 'Server';
  const reasonNode = record(fault.Reason)?.Text ?? fault.faultstring;
  const reason = text(Array.isArray(reasonNode) ? reasonNode[0] : reasonNode) ?? '';
  const detail = fault.detail ?? fault.Detail;
  return {
    code: code.replace(/^[\w.-]+:/, ''),
    reason,
    ...(detail === undefined || detail === '' ? {} : { detail: withoutNamespaceAttributes(detail) }),
  };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  const inner = record(value)?.['#text'];
  return inner === undefined ? undefined : String(inner);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function withoutNamespaceAttributes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNamespaceAttributes);
  const object = record(value);
  if (object === undefined) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) {
    if (key === '@_xmlns' || key.startsWith('@_xmlns:')) continue;
    out[key] = withoutNamespaceAttributes(item);
  }
  const keys = Object.keys(out);
  // An element left with only its text after dropping xmlns is that text.
  return keys.length === 1 && keys[0] === '#text' ? out['#text'] : out;
}
