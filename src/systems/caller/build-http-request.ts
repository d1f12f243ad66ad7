import { ConfluxError } from '../../errors/index.ts';
import { isFormMediaType } from '../description/media-type.ts';
import type { Operation } from '../types.ts';
import type { Credentials } from './resolve-credentials.ts';

export interface HttpRequest {
  readonly origin: string;
  /** Path and query as sent; holds an apiKey when the system takes it in the query. */
  readonly path: string;
  /** Path without query, safe to log. */
  readonly logPath: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Places each input value where its parameter lives: path (encoded), query, header, body. */
export function buildHttpRequest(
  baseUrl: string,
  operation: Operation,
  input: Record<string, unknown>,
  credentials: Credentials,
): HttpRequest {
  const base = new URL(baseUrl);
  let path = operation.path;
  const query = new URLSearchParams(base.search);
  const headers: Record<string, string> = {
    accept: jsonMediaType(operation.responses.find((r) => r.status.startsWith('2'))?.contentType),
  };
  for (const parameter of operation.parameters) {
    const value = input[parameter.name];
    if (value === undefined) continue;
    if (parameter.in === 'path')
      path = path.replaceAll(`{${parameter.name}}`, encodeURIComponent(text(value)));
    else if (parameter.in === 'query') {
      for (const item of Array.isArray(value) ? value : [value]) query.append(parameter.name, text(item));
    } else if (parameter.in === 'header')
      headers[parameter.name.toLowerCase()] = Array.isArray(value) ? value.map(text).join(',') : text(value);
  }
  for (const [name, value] of Object.entries(credentials.query)) query.set(name, value);
  Object.assign(headers, credentials.headers);
  const logPath = `${base.pathname.replace(/\/$/, '')}${path}`;
  const search = query.size > 0 ? `?${query}` : '';
  const request = { origin: base.origin, path: logPath + search, logPath, method: operation.method, headers };
  if (input.body === undefined) return request;
  const contentType = operation.requestBody?.contentType;
  if (isFormMediaType(contentType) && typeof input.body === 'object' && input.body !== null) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(input.body))
      if (value !== undefined) form.append(name, text(value));
    return {
      ...request,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    };
  }
  return {
    ...request,
    headers: { ...headers, 'content-type': jsonMediaType(contentType) },
    body: JSON.stringify(input.body),
  };
}

/** A JSON dialect the operation declares (`application/fhir+json`), else plain JSON. */
function jsonMediaType(declared: string | undefined): string {
  return declared !== undefined && /^application\/[\w.-]+\+json$/i.test(declared)
    ? declared
    : 'application/json';
}

function text(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * A GET of a page URL the system handed out (Link header, next URL in the body). It must be on
 * the system's own origin: the system's credentials never go to another host.
 */
export function buildFollowRequest(
  baseUrl: string,
  url: string,
  credentials: Credentials,
  where: string,
): HttpRequest {
  const base = new URL(baseUrl);
  const target = new URL(url, base);
  if (target.origin !== base.origin) {
    throw new ConfluxError(
      'SYSTEM_REQUEST_INVALID',
      `${where}: next page ${target.origin}${target.pathname} is not on the system's origin ${base.origin}; not followed.`,
      {
        details: { origin: target.origin, expected: base.origin, retryable: false },
      },
    );
  }
  for (const [name, value] of Object.entries(credentials.query)) target.searchParams.set(name, value);
  return {
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    logPath: target.pathname,
    method: 'GET',
    headers: { accept: 'application/json', ...credentials.headers },
  };
}
