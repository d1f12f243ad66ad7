/**
 * Namespace-aware access to XML parsed with prefixes kept and every element as an array:
 * WSDL nests `soap:operation` in `wsdl:operation` and `soap:binding` in `wsdl:binding`, so local
 * names alone cannot tell them apart; prefixes are resolved through the `xmlns` declarations in scope.
 */
export type XmlNode = Record<string, unknown>;

export interface Scoped {
  readonly node: XmlNode;
  readonly scope: ReadonlyMap<string, string>;
}

export const NS = {
  wsdl: 'http://schemas.xmlsoap.org/wsdl/',
  soap11: 'http://schemas.xmlsoap.org/wsdl/soap/',
  soap12: 'http://schemas.xmlsoap.org/wsdl/soap12/',
} as const;

/** Both the 2001 and the draft 2000/10 XML Schema namespaces appear in real WSDLs. */
export function isXsd(namespace: string | undefined): boolean {
  return namespace !== undefined && /^http:\/\/www\.w3\.org\/\d{4}(\/\d+)?\/XMLSchema$/.test(namespace);
}

export function scopeOf(node: XmlNode, parent: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  let scope: Map<string, string> | undefined;
  for (const [key, value] of Object.entries(node)) {
    if (typeof value !== 'string') continue;
    const prefix = key === '@_xmlns' ? '' : key.startsWith('@_xmlns:') ? key.slice(8) : undefined;
    if (prefix === undefined) continue;
    scope ??= new Map(parent);
    scope.set(prefix, value);
  }
  return scope ?? parent;
}

export function splitName(name: string): { prefix: string; local: string } {
  const colon = name.indexOf(':');
  return colon === -1
    ? { prefix: '', local: name }
    : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
}

/** Child elements of `parent` whose namespace matches and whose local name is `local`. */
export function children(
  parent: Scoped,
  matches: (namespace: string | undefined) => boolean,
  local: string,
): Scoped[] {
  const out: Scoped[] = [];
  for (const [key, value] of Object.entries(parent.node)) {
    if (key.startsWith('@_') || key === '#text' || !Array.isArray(value)) continue;
    const name = splitName(key);
    if (name.local !== local) continue;
    for (const item of value) {
      const node = typeof item === 'object' && item !== null ? (item as XmlNode) : {};
      // An element's own xmlns declarations already apply to its name.
      const scope = scopeOf(node, parent.scope);
      if (matches(scope.get(name.prefix))) out.push({ node, scope });
    }
  }
  return out;
}

export function inNs(namespace: string): (candidate: string | undefined) => boolean {
  return (candidate) => candidate === namespace;
}

export function attr(node: XmlNode, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

/** A QName attribute value (`tns:GetWeather`) as namespace + local name. */
export function resolveQName(
  value: string,
  scope: ReadonlyMap<string, string>,
): { namespace: string | undefined; local: string } {
  const { prefix, local } = splitName(value);
  return { namespace: scope.get(prefix), local };
}
