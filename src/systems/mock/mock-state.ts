import type { JsonSchema } from '../../project/index.ts';
import { createRandom } from '../schema/random.ts';
import type { Operation } from '../types.ts';
import { newId } from './new-id.ts';

export interface MockAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface StateRequest {
  readonly operation: Operation;
  readonly params: Record<string, string>;
  /** The request path as sent (without query), e.g. `/customers/42`. */
  readonly path: string;
  readonly body: unknown;
  /** What the mock would answer without state: the example or generated response. */
  readonly base: MockAnswer;
  readonly responseSchema: JsonSchema | undefined;
}

interface Collection {
  readonly items: Map<string, Record<string, unknown>>;
  readonly deleted: Set<string>;
  counter: number;
}

/**
 * Just enough state for demos to behave like a real system: POST to a collection creates an
 * item, the item path reads, replaces, merges and deletes it, and the collection lists what was
 * created. A collection nobody wrote to answers generated data, so read-only mocks still work.
 * Answers undefined when the request is not a collection or item shape, or not an object.
 */
export function createMockState(
  seed: number,
): (request: StateRequest) => MockAnswer | { readonly notFound: string } | undefined {
  const collections = new Map<string, Collection>();
  const random = createRandom(seed ^ 0x5eed);

  const collectionAt = (key: string, create: boolean): Collection | undefined => {
    let collection = collections.get(key);
    if (collection === undefined && create) {
      collection = { items: new Map(), deleted: new Set(), counter: 1 };
      collections.set(key, collection);
    }
    return collection;
  };

  return (request) => {
    const template = request.operation.path.split('/');
    const last = template.at(-1) ?? '';
    const itemParam = /^\{([^}]+)\}$/.exec(last)?.[1];
    const path = request.path.replace(/\/$/, '');
    const method = request.operation.method;

    if (itemParam === undefined && last !== '') {
      if (method === 'POST') return create(request, collectionAt(path, true) as Collection);
      if (method === 'GET') return list(request, collectionAt(path, false));
      return undefined;
    }
    if (itemParam === undefined) return undefined;
    const id = request.params[itemParam] ?? '';
    const key = path.slice(0, path.lastIndexOf('/'));
    const collection = collectionAt(key, false);
    const stored = collection?.items.get(id);
    if (stored === undefined && collection !== undefined && method !== 'PUT') {
      return { notFound: `${key} has no item ${id}${collection.deleted.has(id) ? ' (it was deleted)' : ''}` };
    }
    const baseObject = isObject(request.base.body) ? withId(request.base.body, id) : undefined;
    switch (method) {
      case 'GET':
        return stored === undefined
          ? baseObject === undefined
            ? undefined
            : { status: request.base.status, body: baseObject }
          : { status: 200, body: stored };
      case 'PUT':
      case 'PATCH': {
        if (!isObject(request.body)) return undefined;
        const previous = method === 'PATCH' ? (stored ?? baseObject ?? {}) : {};
        const idField =
          stored !== undefined && 'id' in stored
            ? { id: stored.id }
            : baseObject !== undefined && 'id' in baseObject
              ? { id: baseObject.id }
              : {};
        const item = { ...previous, ...request.body, ...idField };
        const target = collectionAt(key, true) as Collection;
        target.items.set(id, item);
        target.deleted.delete(id);
        return { status: okStatus(request.base.status, 200), body: item };
      }
      case 'DELETE': {
        const target = collectionAt(key, true) as Collection;
        target.items.delete(id);
        target.deleted.add(id);
        return {
          status: request.base.status,
          body: request.base.status === 204 ? undefined : (stored ?? request.base.body),
        };
      }
      default:
        return undefined;
    }
  };

  function create(request: StateRequest, collection: Collection): MockAnswer | undefined {
    if (!isObject(request.body)) return undefined;
    const base = isObject(request.base.body) ? request.base.body : {};
    const item: Record<string, unknown> = { ...base, ...request.body };
    const idSchema = propertySchema(request.responseSchema, 'id');
    if (request.body.id === undefined && ('id' in base || idSchema !== undefined)) {
      item.id = newId(
        idSchema,
        base.id,
        (id) => collection.items.has(id) || collection.deleted.has(id),
        random,
        collection.counter,
      );
    }
    collection.counter += 1;
    const key = item.id === undefined ? `#${collection.counter}` : String(item.id);
    collection.items.set(key, item);
    return { status: okStatus(request.base.status, 201), body: item };
  }

  function list(request: StateRequest, collection: Collection | undefined): MockAnswer | undefined {
    if (collection === undefined || collection.items.size === 0) return undefined;
    const items = [...collection.items.values()];
    const schema = request.responseSchema;
    if (typeof schema === 'object' && schema.type === 'array') return { status: 200, body: items };
    if (Array.isArray(request.base.body)) return { status: 200, body: items };
    if (!isObject(request.base.body)) return undefined;
    const arrays = Object.entries(request.base.body).filter(([, value]) => Array.isArray(value));
    if (arrays.length !== 1) return undefined;
    return { status: 200, body: { ...request.base.body, [arrays[0]?.[0] ?? 'items']: items } };
  }
}

function okStatus(documented: number, fallback: number): number {
  return documented >= 200 && documented < 300 ? documented : fallback;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Generated data for `/customers/42` says `id: 42`, in the type the example used. */
function withId(body: Record<string, unknown>, id: string): Record<string, unknown> {
  if (!('id' in body)) return body;
  const numeric = typeof body.id === 'number' && /^-?\d+(\.\d+)?$/.test(id);
  return { ...body, id: numeric ? Number(id) : id };
}

function propertySchema(schema: JsonSchema | undefined, name: string): JsonSchema | undefined {
  if (typeof schema !== 'object' || typeof schema.properties !== 'object' || schema.properties === null)
    return undefined;
  return (schema.properties as Record<string, JsonSchema>)[name];
}
