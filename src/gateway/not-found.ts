import { ConfluxError } from '../errors/index.ts';

/** The one 404 of the gateway: an unknown path and an API the caller may not see look the same. */
export function notFound(method: string, path: string): ConfluxError {
  return new ConfluxError('GATEWAY_ROUTE_NOT_FOUND', `No route matches ${method} ${path}.`);
}
