import { BlockList, isIP } from 'node:net';

/**
 * Which addresses the connector may call on a customer's behalf. A connection's Acumatica URL is outside
 * input: without this, a hosted service calls whatever its own network can reach (loopback, the cloud
 * metadata service, private ranges). Checked when the URL is given and again at every connect, on the
 * resolved address, so a name that later resolves elsewhere (DNS rebinding) is refused too.
 */
const blockedV4 = new BlockList();
// Separate lists: a BlockList holding ::ffff:0:0/96 would match every IPv4 address checked against it.
const blockedV6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blockedV4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['::ffff:0:0', 96], // IPv4-mapped: any IPv4 spelled as IPv6
  ['64:ff9b::', 96], // NAT64
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  blockedV6.addSubnet(net, prefix, 'ipv6');

export type AddressRule = 'loopback, link-local, private or unspecified address';

/** True when the (already resolved, canonical) address is one the connector must not call. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blockedV4.check(address, 'ipv4');
  if (family === 6) return blockedV6.check(address, 'ipv6');
  return true; // not an address at all
}

/** Host names the operator allows whatever they resolve to (`MLC_ACUMATICA_ALLOWED_HOSTS`), lower-case. */
export class AllowedHosts {
  private readonly hosts: ReadonlySet<string>;
  constructor(hosts: readonly string[]) {
    this.hosts = new Set(hosts.map((h) => normalizeHost(h)));
  }
  has(host: string): boolean {
    return this.hosts.has(normalizeHost(host));
  }
}

/** `[::1]` → `::1`, `Example.COM.` → `example.com`. */
export const normalizeHost = (host: string): string =>
  host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
