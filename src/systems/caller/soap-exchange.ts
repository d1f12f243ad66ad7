import { buildEnvelope, parseEnvelope, type SoapBinding, soapHeaders } from '../../adapters/index.ts';
import { ConfluxError } from '../../errors/index.ts';
import type { SystemResponse } from '../types.ts';
import type { HttpRequest } from './build-http-request.ts';
import type { Credentials } from './resolve-credentials.ts';

/** A WSDL operation's JSON input as a SOAP POST to the system's endpoint (the base URL itself). */
export function buildSoapRequest(
  baseUrl: string,
  binding: SoapBinding,
  body: unknown,
  credentials: Credentials,
): HttpRequest {
  const base = new URL(baseUrl);
  const query = new URLSearchParams(base.search);
  for (const [name, value] of Object.entries(credentials.query)) query.set(name, value);
  const search = query.size > 0 ? `?${query}` : '';
  return {
    origin: base.origin,
    path: `${base.pathname}${search}`,
    logPath: base.pathname,
    method: 'POST',
    headers: { ...soapHeaders(binding), ...credentials.headers },
    body: buildEnvelope(binding.version, binding.request, body),
  };
}

/**
 * The system's XML answer as JSON. A SOAP fault (1.1 answers it with HTTP 500) becomes
 * SYSTEM_SOAP_FAULT with its code, reason and detail; Server/Receiver faults are retryable.
 * Answers that are not SOAP at all are returned untouched for the caller's status handling.
 */
export function readSoapAnswer(
  response: SystemResponse,
  where: string,
  facts: { system: string; operation: string },
): SystemResponse {
  if (typeof response.body !== 'string' || !response.body.includes('Envelope')) return response;
  const message = parseEnvelope(response.body);
  if (message.kind === 'body') return { ...response, body: message.value };
  const { code, reason, detail } = message.fault;
  throw new ConfluxError('SYSTEM_SOAP_FAULT', `${where} answered SOAP fault ${code}: ${reason}`, {
    details: {
      ...facts,
      status: response.status,
      faultCode: code,
      faultReason: reason,
      ...(detail === undefined ? {} : { faultDetail: detail }),
      retryable: code === 'Server' || code === 'Receiver',
    },
  });
}
