export { nextLink } from './link-header.ts';
export { type PaginateOptions, paginate } from './paginate.ts';
export { readPath } from './read-path.ts';
