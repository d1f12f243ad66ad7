import { BlockList, isIPv4 } from 'node:net';
import { ConfluxError } from '../../errors/index.ts';
import type { IpFilterSettings } from '../../project/index.ts';
import type { Policy } from '../config.ts';

/**
 * Client IP allow/deny lists over CIDR blocks (IPv4 and IPv6), matched with node:net's
 * BlockList. The address is the socket's peer: X-Forwarded-For is caller-controlled and is
 * not trusted. Deny wins over allow; with an allow list, only listed addresses pass.
 */
export function createIpFilterPolicy(settings: IpFilterSettings): Policy {
  const allow =
    settings.allow === undefined || settings.allow.length === 0 ? undefined : blockList(settings.allow);
  const deny =
    settings.deny === undefined || settings.deny.length === 0 ? undefined : blockList(settings.deny);
  return {
    name: 'ip-filter',
    apply(ctx) {
      const address = normalize(ctx.req.socket.remoteAddress ?? '');
      const family = isIPv4(address) ? 'ipv4' : 'ipv6';
      if (deny?.check(address, family) === true || (allow !== undefined && !allow.check(address, family))) {
        throw new ConfluxError('GATEWAY_IP_DENIED', `The client address ${address} may not call this API.`, {
          details: { address },
        });
      }
    },
  };
}

function blockList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; IPv4 rules must match them. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
