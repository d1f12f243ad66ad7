import { BlockList, isIPv4 } from 'node:net';
import type { ApiDefinition } from '../project/index.ts';
import type { Policy } from './config.ts';
import type { Consumer, ConsumerType, RequestContext } from './context.ts';
import { notFound } from './not-found.ts';

export interface VisibilityOptions {
  /** The consumer's type when the credential did not carry one (the platform wires it). */
  readonly consumerType: (consumer: Consumer) => ConsumerType;
}

/**
 * Who may use an API, by its visibility: `private` → internal consumers (and, with `networks`,
 * only from those ranges); `partner` → partner consumers, the named ones when `partners` is
 * set; `public` → any authenticated consumer. Refusal is the very 404 an unknown path gets, so
 * a consumer cannot learn that an API it may not use exists. Runs right after authentication.
 */
export function createVisibilityPolicy(api: ApiDefinition, options: VisibilityOptions): Policy | undefined {
  const networks = api.networks === undefined ? undefined : blockList(api.networks);
  const partners = api.partners === undefined ? undefined : new Set(api.partners);
  const authenticated = api.auth.type !== 'none';
  const allowed = (ctx: RequestContext): boolean => {
    if (networks !== undefined && !inNetworks(networks, ctx.req.socket.remoteAddress ?? '')) return false;
    // Without authentication there is no consumer to check; only the networks apply.
    if (!authenticated) return true;
    const consumer = ctx.consumer;
    if (consumer === undefined) return false;
    const type = consumer.type ?? options.consumerType(consumer);
    if (api.visibility === 'private') return type === 'internal';
    if (api.visibility === 'partner')
      return type === 'partner' && (partners === undefined || partners.has(consumer.name));
    return true;
  };
  if (networks === undefined && (!authenticated || api.visibility === 'public')) return undefined;
  return {
    name: 'visibility',
    apply(ctx) {
      if (!allowed(ctx)) throw notFound(ctx.req.method ?? 'GET', ctx.path);
    },
  };
}

function blockList(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [address = '', prefix = ''] = range.split('/');
    list.addSubnet(address, Number(prefix), isIPv4(address) ? 'ipv4' : 'ipv6');
  }
  return list;
}

function inNetworks(list: BlockList, peer: string): boolean {
  // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d.
  const address = peer.startsWith('::ffff:') && peer.includes('.') ? peer.slice(7) : peer;
  return list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
}
