import { isJson, type Json } from './operation-parts.ts';

/** Base URLs the description declares (server variables filled with their defaults). */
export function readServers(document: Json, specVersion: string): string[] {
  if (specVersion === '2.0') {
    const basePath = typeof document.basePath === 'string' ? document.basePath : '';
    if (typeof document.host !== 'string') return basePath === '' ? [] : [basePath];
    const schemes = Array.isArray(document.schemes) ? document.schemes : [];
    const scheme = schemes.includes('https') ? 'https' : (schemes[0] ?? 'https');
    return [`${String(scheme)}://${document.host}${basePath}`];
  }
  if (!Array.isArray(document.servers)) return [];
  return document.servers.filter(isJson).flatMap((server) => {
    if (typeof server.url !== 'string') return [];
    const variables = isJson(server.variables) ? server.variables : {};
    return [
      server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
        const variable = variables[name];
        return isJson(variable) && variable.default !== undefined ? String(variable.default) : whole;
      }),
    ];
  });
}
