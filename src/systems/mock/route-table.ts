import type { Operation } from '../types.ts';

export type RouteMatch =
  | { readonly kind: 'found'; readonly operation: Operation; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

interface Template {
  readonly path: string;
  readonly names: readonly string[];
  readonly pattern: RegExp;
  /** Per segment: 2 literal, 1 literal with a parameter inside, 0 a whole parameter. */
  readonly specificity: readonly number[];
  readonly byMethod: Map<string, Operation>;
}

/**
 * Matches a request to an operation by method and path template. Literal segments beat
 * parameters segment by segment from the left, so `/users/me` wins over `/users/{id}`.
 */
export function createRouteTable(
  operations: Iterable<Operation>,
): (method: string, pathname: string) => RouteMatch {
  const templates = new Map<string, Template>();
  for (const operation of operations) {
    const path = normalize(operation.path.split('?')[0] ?? '');
    let template = templates.get(path);
    if (template === undefined) {
      template = compile(path);
      templates.set(path, template);
    }
    if (!template.byMethod.has(operation.method)) template.byMethod.set(operation.method, operation);
  }
  const ordered = [...templates.values()].sort((a, b) => compareSpecificity(b.specificity, a.specificity));

  return (method, pathname) => {
    const path = normalize(pathname);
    let allow: string[] | undefined;
    for (const template of ordered) {
      const found = template.pattern.exec(path);
      if (found === null) continue;
      const operation =
        template.byMethod.get(method) ?? (method === 'HEAD' ? template.byMethod.get('GET') : undefined);
      if (operation === undefined) {
        allow ??= [...template.byMethod.keys()];
        continue;
      }
      const params: Record<string, string> = {};
      template.names.forEach((name, index) => {
        params[name] = safeDecode(found[index + 1] ?? '');
      });
      return { kind: 'found', operation, params };
    }
    return allow === undefined ? { kind: 'not-found' } : { kind: 'method-not-allowed', allow };
  };
}

function normalize(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function compile(path: string): Template {
  const names: string[] = [];
  const specificity: number[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.includes('{')) {
        specificity.push(2);
        return escapeRegExp(segment);
      }
      specificity.push(/^\{[^}]+\}$/.test(segment) ? 0 : 1);
      return segment
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const name = /^\{([^}]+)\}$/.exec(part)?.[1];
          if (name === undefined) return escapeRegExp(part);
          names.push(name);
          return '([^/]+?)';
        })
        .join('');
    })
    .join('/');
  return { path, names, pattern: new RegExp(`^${source}$`), specificity, byMethod: new Map() };
}

function compareSpecificity(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? -1) - (b[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
