import { BlockList, isIP } from 'node:net';

/** Address ranges an `http` step may not reach unless allowed: loopback, private, link-local and the like. */
function privateRanges(): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['224.0.0.0', 3],
  ] as const) {
    list.addSubnet(net, prefix, 'ipv4');
  }
  for (const [net, prefix] of [
    ['::', 127],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
  ] as const) {
    list.addSubnet(net, prefix, 'ipv6');
  }
  return list;
}

const blocked = privateRanges();

/**
 * Decides whether an `http` step may connect to a resolved address. `allow` lists what the
 * project explicitly permits: CIDR ranges (`127.0.0.1/32`, `10.0.0.0/8`) or host names.
 */
export function createAddressGuard(allow: readonly string[]): (address: string, host: string) => boolean {
  const allowed = new BlockList();
  const hosts = new Set<string>();
  for (const entry of allow) {
    const [net = '', prefix] = entry.split('/');
    const family = isIP(net);
    if (family === 0) hosts.add(entry.toLowerCase());
    else {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      allowed.addSubnet(net, prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix), type);
    }
  }
  return (address, host) => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const plain = mapped ?? address;
    const type = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
    if (hosts.has(host.toLowerCase()) || allowed.check(plain, type)) return true;
    return !blocked.check(plain, type);
  };
}
