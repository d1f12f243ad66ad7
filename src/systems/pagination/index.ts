export { nextLink } from './link-header.ts';
export { type Page, type PaginateOptions, pages, paginate } from './paginate.ts';
export { paginationOf } from './pagination-of.ts';
export { readPath } from './read-path.ts';
