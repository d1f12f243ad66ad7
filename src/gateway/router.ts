/**
 * A segment trie over path templates (`/v1/orders/{id}`, `/v1/orders/{id:int}`). Literal
 * segments win over parameters at every depth, and typed parameters over untyped ones, so
 * `/orders/new` beats `/orders/{id:int}` beats `/orders/{slug}` whatever the file order.
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

export type ParamType = 'int' | 'number' | 'uuid' | 'alpha' | 'string';

/** What each parameter type accepts, tested on the raw (still percent-encoded) segment. */
const PARAM_TESTS: Record<ParamType, (segment: string) => boolean> = {
  int: (s) => /^-?\d{1,18}$/.test(s),
  number: (s) => /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(s),
  uuid: (s) => /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s),
  alpha: (s) => /^[A-Za-z]+$/.test(s),
  string: () => true,
};

/** Most specific first: the order in which parameter branches are tried. */
const SPECIFICITY: readonly ParamType[] = ['uuid', 'int', 'number', 'alpha', 'string'];

interface ParamBranch<T> {
  readonly name: string;
  readonly type: ParamType;
  readonly test: (segment: string) => boolean;
  readonly node: Node<T>;
}

interface Node<T> {
  readonly literals: Map<string, Node<T>>;
  readonly params: ParamBranch<T>[];
  readonly methods: Map<string, T>;
}

const newNode = <T>(): Node<T> => ({ literals: new Map(), params: [], methods: new Map() });

export class RouteConflictError extends Error {
  override readonly name = 'RouteConflictError';
}

/** `{id}` → `{ name: 'id', type: 'string' }`; `{id:int}` → int; a literal → undefined. */
export function parseParamSegment(segment: string): { name: string; type: ParamType } | undefined {
  const match = /^\{([A-Za-z_][\w-]*)(?::(int|number|uuid|alpha|string))?\}$/.exec(segment);
  if (match === null) return undefined;
  return { name: match[1] as string, type: (match[2] as ParamType | undefined) ?? 'string' };
}

export class Router<T> {
  private readonly root: Node<T> = newNode();

  add(method: string, template: string, value: T): void {
    let node = this.root;
    for (const segment of splitPath(template)) {
      const param = parseParamSegment(segment);
      if (param !== undefined) {
        let branch = node.params.find((candidate) => candidate.type === param.type);
        if (branch !== undefined && branch.name !== param.name) {
          throw new RouteConflictError(
            `${template}: parameter {${param.name}} conflicts with {${branch.name}} at the same position`,
          );
        }
        if (branch === undefined) {
          branch = { name: param.name, type: param.type, test: PARAM_TESTS[param.type], node: newNode() };
          node.params.push(branch);
          node.params.sort((a, b) => SPECIFICITY.indexOf(a.type) - SPECIFICITY.indexOf(b.type));
        }
        node = branch.node;
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

  /** The value at exactly this method and template, if any (for merging versioned routes). */
  get(method: string, template: string): T | undefined {
    let node: Node<T> | undefined = this.root;
    for (const segment of splitPath(template)) {
      const param = parseParamSegment(segment);
      node =
        param === undefined
          ? node.literals.get(segment)
          : node.params.find((b) => b.type === param.type)?.node;
      if (node === undefined) return undefined;
    }
    return node.methods.get(method.toUpperCase());
  }

  match(method: string, path: string): MatchResult<T> {
    const params: Record<string, string> = {};
    const node = this.walk(this.root, splitPath(path), 0, params);
    if (node === undefined || node.methods.size === 0) return { kind: 'not-found' };
    const value = node.methods.get(method) ?? (method === 'HEAD' ? node.methods.get('GET') : undefined);
    if (value === undefined) return { kind: 'method-not-allowed', allow: [...node.methods.keys()].sort() };
    return { kind: 'found', match: { value, params } };
  }

  private walk(
    node: Node<T>,
    segments: string[],
    index: number,
    params: Record<string, string>,
  ): Node<T> | undefined {
    if (index === segments.length) return node;
    const segment = segments[index] as string;
    const literal = node.literals.get(segment);
    if (literal !== undefined) {
      const found = this.walk(literal, segments, index + 1, params);
      if (found !== undefined && found.methods.size > 0) return found;
    }
    if (segment === '') return undefined;
    for (const branch of node.params) {
      if (!branch.test(segment)) continue;
      const found = this.walk(branch.node, segments, index + 1, params);
      if (found !== undefined && found.methods.size > 0) {
        params[branch.name] = safeDecode(segment);
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
