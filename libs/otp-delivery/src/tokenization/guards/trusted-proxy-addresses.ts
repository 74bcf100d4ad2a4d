import { BlockList, isIP } from 'node:net';

/** One parsed `trustedProxies` entry. */
export interface Cidr {
  readonly network: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * Parses `10.0.0.0/8`, `::1/128` or a bare address (one host: `/32` or `/128`); undefined when
 * it is not a CIDR.
 */
export function parseCidr(text: string): Cidr | undefined {
  const [network = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const version = isIP(network);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { network, prefix: max, family };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= max ? { network, prefix, family } : undefined;
}

/**
 * The addresses the ingress connects from (`tokenization.auth.trustedProxies`), checked against
 * the TCP peer of the request: the one address a caller cannot choose. `x-forwarded-for` is never
 * read, since whoever sends the request writes it.
 */
export class TrustedProxyAddresses {
  readonly #list = new BlockList();

  constructor(cidrs: readonly string[]) {
    for (const text of cidrs) {
      const cidr = parseCidr(text);
      // The options were validated at boot; a bad entry here is a programming error.
      if (!cidr) throw new TypeError('trustedProxies holds an entry that is not a CIDR');
      this.#list.addSubnet(cidr.network, cidr.prefix, cidr.family);
    }
  }

  /** True when `remoteAddress` (a socket's, possibly IPv4-mapped IPv6) is in one of the ranges. */
  includes(remoteAddress: string | undefined): boolean {
    if (!remoteAddress) return false;
    // A dual-stack server reports IPv4 peers as ::ffff:a.b.c.d: match them against the IPv4 ranges.
    const address = IPV4_MAPPED.exec(remoteAddress)?.[1] ?? remoteAddress;
    const version = isIP(address);
    if (version === 0) return false;
    return this.#list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  }
}
