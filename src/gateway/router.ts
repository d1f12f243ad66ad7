/**
 * A segment trie over path templates (`/v1/orders/{id}`). Literal segments win over
 * parameters at every depth, so `/orders/new` beats `/orders/{id}` whatever the file order.
 * Matching is O(path segments), independent of the number of routes.
 */
export interface RouteMatch<T> {
  readonly value: T;
  readonly params: Record<string, string>;
}

export type MatchResult<T> =
  | { readonly kind: 'found'; readonly match: RouteMatch<T> }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

interface Node<T> {
  readonly literals: Map<string, Node<T>>;
  param: { readonly name: string; readonly node: Node<T> } | undefined;
  readonly methods: Map<string, T>;
}

const newNode = <T>(): Node<T> => ({ literals: new Map(), param: undefined, methods: new Map() });

export class RouteConflictError extends Error {
  override readonly name = 'RouteConflictError';
}

export class Router<T> {
  private readonly root: Node<T> = newNode();

  add(method: string, template: string, value: T): void {
    let node = this.root;
    for (const segment of splitPath(template)) {
      const param = /^\{([A-Za-z_][\w-]*)\}$/.exec(segment);
      if (param !== null) {
        const name = param[1] as string;
        if (node.param !== undefined && node.param.name !== name) {
          throw new RouteConflictError(
            `${template}: parameter {${name}} conflicts with {${node.param.name}} at the same position`,
          );
        }
        node.param ??= { name, node: newNode() };
        node = node.param.node;
      } else {
        let next = node.literals.get(segment);
        if (next === undefined) {
          next = newNode();
          node.literals.set(segment, next);
        }
        node = next;
      }
    }
    const upper = method.toUpperCase();
    if (node.methods.has(upper)) throw new RouteConflictError(`${upper} ${template} is defined twice`);
    node.methods.set(upper, value);
  }

  match(method: string, path: string): MatchResult<T> {
    const params: Record<string, string> = {};
    const node = this.walk(this.root, splitPath(path), 0, params);
    if (node === undefined || node.methods.size === 0) return { kind: 'not-found' };
    const value = node.methods.get(method) ?? (method === 'HEAD' ? node.methods.get('GET') : undefined);
    if (value === undefined) return { kind: 'method-not-allowed', allow: [...node.methods.keys()].sort() };
    return { kind: 'found', match: { value, params } };
  }

  private walk(node: Node<T>, segments: string[], index: number, params: Record<string, string>): Node<T> | undefined {
    if (index === segments.length) return node;
    const segment = segments[index] as string;
    const literal = node.literals.get(segment);
    if (literal !== undefined) {
      const found = this.walk(literal, segments, index + 1, params);
      if (found !== undefined && found.methods.size > 0) return found;
    }
    if (node.param !== undefined && segment !== '') {
      const found = this.walk(node.param.node, segments, index + 1, params);
      if (found !== undefined && found.methods.size > 0) {
        params[node.param.name] = safeDecode(segment);
        return found;
      }
    }
    return undefined;
  }
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
