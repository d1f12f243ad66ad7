import { type MatchResult, Router } from './router.ts';

/**
 * Routers by host: APIs that declare `hosts` answer only there, the rest on any host. A request
 * tries its host's router (exact name first, then the longest `*.suffix`), then the any-host
 * router, so a host-bound route wins over an unbound one at the same path.
 */
export class HostTable<T> {
  readonly any = new Router<T>();
  private readonly exact = new Map<string, Router<T>>();
  private readonly wildcards: { readonly suffix: string; readonly router: Router<T> }[] = [];

  /** The router of a host pattern (`api.example.com`, `*.example.com`), or the any-host one. */
  routerFor(host: string | undefined): Router<T> {
    if (host === undefined) return this.any;
    const name = host.toLowerCase();
    if (name.startsWith('*.')) {
      const suffix = name.slice(1);
      let entry = this.wildcards.find((candidate) => candidate.suffix === suffix);
      if (entry === undefined) {
        entry = { suffix, router: new Router<T>() };
        this.wildcards.push(entry);
        this.wildcards.sort((a, b) => b.suffix.length - a.suffix.length);
      }
      return entry.router;
    }
    let router = this.exact.get(name);
    if (router === undefined) {
      router = new Router<T>();
      this.exact.set(name, router);
    }
    return router;
  }

  match(host: string | undefined, method: string, path: string): MatchResult<T> {
    const bound = host === undefined ? undefined : this.hostRouter(stripPort(host).toLowerCase());
    if (bound === undefined) return this.any.match(method, path);
    const first = bound.match(method, path);
    if (first.kind === 'found') return first;
    const second = this.any.match(method, path);
    if (second.kind === 'found' || first.kind === 'not-found') return second;
    return first;
  }

  private hostRouter(host: string): Router<T> | undefined {
    const exact = this.exact.get(host);
    if (exact !== undefined) return exact;
    for (const { suffix, router } of this.wildcards) if (host.endsWith(suffix)) return router;
    return undefined;
  }
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
