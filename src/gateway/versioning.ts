import type { IncomingHttpHeaders } from 'node:http';
import type { ApiVersionDefinition, ApiVersioning } from '../project/index.ts';

/**
 * The headers an answer of one API version carries, computed once per configuration:
 * `API-Version` always; `Deprecation` (RFC 9745, `@<epoch seconds>`), `Sunset` (RFC 8594,
 * an HTTP-date) and `Link` rel=deprecation / rel=sunset when the version declares them.
 */
export function versionHeaders(version: ApiVersionDefinition): [string, string][] {
  const headers: [string, string][] = [['api-version', version.name]];
  if (version.deprecated !== undefined) {
    headers.push(['deprecation', `@${Math.floor(Date.parse(asUtc(version.deprecated)) / 1000)}`]);
  }
  if (version.sunset !== undefined) headers.push(['sunset', new Date(asUtc(version.sunset)).toUTCString()]);
  if (version.link !== undefined) {
    const links = [];
    if (version.deprecated !== undefined)
      links.push(`<${version.link}>; rel="deprecation"; type="text/html"`);
    if (version.sunset !== undefined) links.push(`<${version.link}>; rel="sunset"; type="text/html"`);
    if (links.length > 0) headers.push(['link', links.join(', ')]);
  }
  return headers;
}

/** A bare date is midnight UTC, not local midnight. */
function asUtc(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date;
}

/**
 * Reads the version a request names under the header or media-type scheme. `v2` and `2` name
 * the same version (the route table holds both spellings).
 */
export function createVersionSelector(
  versioning: ApiVersioning,
): (headers: IncomingHttpHeaders) => string | undefined {
  if (versioning.scheme === 'header') {
    const name = versioning.header;
    return (headers) => {
      const value = headers[name];
      return typeof value === 'string' && value !== '' ? value.trim() : undefined;
    };
  }
  return (headers) => {
    const accept = headers.accept;
    if (accept === undefined) return undefined;
    return /;\s*version\s*=\s*"?([^\s;,"]+)/i.exec(accept)?.[1];
  };
}

/** The spellings a version answers to: `v2` also as `2`. */
export function versionAliases(name: string): string[] {
  const bare = /^v(\d[\w.-]*)$/i.exec(name)?.[1];
  return bare === undefined ? [name] : [name, bare];
}
