import { ConfluxError } from '../../errors/index.ts';
import type { CallOptions, PaginationStyle, SystemCaller, SystemResponse } from '../types.ts';
import { nextLink } from './link-header.ts';
import { readPath } from './read-path.ts';

export interface PaginateOptions extends CallOptions {
  readonly pagination: PaginationStyle;
  /** Stop after this many items (the guard against endless lists); default 10,000. */
  readonly maxItems?: number;
  /** Stop after this many pages, whatever their size; default 1,000. */
  readonly maxPages?: number;
  /** What happens at a guard: `stop` ends quietly (default), `fail` throws SYSTEM_PAGINATION_LIMIT. */
  readonly onLimit?: 'stop' | 'fail';
}

type Next = { readonly input: Record<string, unknown> } | { readonly url: string } | undefined;

/** One page: the system's answer and the items read from it in the declared style. */
export interface Page {
  readonly response: SystemResponse;
  readonly items: readonly unknown[];
}

/**
 * The pages of a paged operation, one answer after another (each with the caller's auth,
 * timeouts and retries) in the declared style, until the end of the list or the max-pages
 * guard. A page whose next pointer repeats an earlier one ends the stream (a system that loops
 * would otherwise never end).
 */
export async function* pages(
  caller: SystemCaller,
  system: string,
  operation: string,
  input: Record<string, unknown>,
  options: Omit<PaginateOptions, 'maxItems'>,
): AsyncGenerator<Page, void, undefined> {
  const { pagination: style, maxPages = 1_000, onLimit = 'stop', ...callOptions } = options;
  let request: Next = { input: first(style, input) };
  const seen = new Set<string>();
  for (let page = 1; request !== undefined; page += 1) {
    if (page > maxPages) return limitReached(system, operation, onLimit, 'maxPages', maxPages);
    const key = JSON.stringify(request);
    if (seen.has(key)) return;
    seen.add(key);
    const response: SystemResponse =
      'url' in request
        ? await caller.call(system, operation, {}, { ...callOptions, url: request.url })
        : await caller.call(system, operation, request.input, callOptions);
    const list = readPath(response.body, style.items);
    const items = Array.isArray(list) ? list : [];
    yield { response, items };
    request = next(style, request, response, items.length);
  }
}

/**
 * Every item of a paged operation as an async stream: the items of `pages` one by one, stopping
 * at the end of the list or at the max-items / max-pages guard.
 */
export async function* paginate(
  caller: SystemCaller,
  system: string,
  operation: string,
  input: Record<string, unknown>,
  options: PaginateOptions,
): AsyncGenerator<unknown, void, undefined> {
  const { maxItems = 10_000, onLimit = 'stop' } = options;
  let count = 0;
  for await (const page of pages(caller, system, operation, input, options)) {
    for (const item of page.items) {
      if (count >= maxItems) return limitReached(system, operation, onLimit, 'maxItems', maxItems);
      count += 1;
      yield item;
    }
  }
}

function limitReached(
  system: string,
  operation: string,
  onLimit: 'stop' | 'fail',
  guard: 'maxItems' | 'maxPages',
  value: number,
): void {
  if (onLimit === 'fail') {
    throw new ConfluxError(
      'SYSTEM_PAGINATION_LIMIT',
      `${system}.${operation}: paging stopped at ${guard} ${value}; more items remain.`,
      {
        details: { system, operation, guard, value, retryable: false },
      },
    );
  }
}

function first(style: PaginationStyle, input: Record<string, unknown>): Record<string, unknown> {
  switch (style.style) {
    case 'offset':
      return {
        ...input,
        [style.offsetParam]: input[style.offsetParam] ?? 0,
        [style.limitParam]: style.limit,
      };
    case 'page':
      return {
        ...input,
        [style.pageParam]: input[style.pageParam] ?? style.firstPage,
        ...(style.sizeParam === undefined || style.size === undefined
          ? {}
          : { [style.sizeParam]: style.size }),
      };
    default:
      return input;
  }
}

function next(
  style: PaginationStyle,
  current: Exclude<Next, undefined>,
  response: SystemResponse,
  count: number,
): Next {
  const input = 'input' in current ? current.input : {};
  switch (style.style) {
    case 'cursor': {
      const cursor = readPath(response.body, style.nextCursor);
      if (cursor === undefined || cursor === null || cursor === '' || count === 0) return undefined;
      return { input: { ...input, [style.cursorParam]: cursor } };
    }
    case 'offset':
      // A short page is the last one.
      if (count < style.limit) return undefined;
      return { input: { ...input, [style.offsetParam]: Number(input[style.offsetParam] ?? 0) + count } };
    case 'page':
      if (count === 0 || (style.size !== undefined && count < style.size)) return undefined;
      return {
        input: { ...input, [style.pageParam]: Number(input[style.pageParam] ?? style.firstPage) + 1 },
      };
    case 'link': {
      const url = nextLink(response.headers.link);
      return url === undefined ? undefined : { url };
    }
    case 'next-url': {
      const url = readPath(response.body, style.nextUrl);
      return typeof url === 'string' && url !== '' ? { url } : undefined;
    }
  }
}
