import { parseCidr, TrustedProxyAddresses } from './trusted-proxy-addresses.js';

describe('trusted proxy addresses', () => {
  const proxies = new TrustedProxyAddresses(['10.0.0.0/8', '192.168.1.7', '::1/128', 'fd00::/8']);

  it.each(['10.1.2.3', '10.255.255.255', '192.168.1.7', '::1', 'fd12:3456::1'])('trusts %s', (address) => {
    expect(proxies.includes(address)).toBe(true);
  });

  it('matches an IPv4 peer seen by a dual-stack server as IPv4-mapped IPv6 against the IPv4 ranges', () => {
    expect(proxies.includes('::ffff:10.1.2.3')).toBe(true);
    expect(proxies.includes('::FFFF:192.168.1.7')).toBe(true);
    expect(proxies.includes('::ffff:11.1.2.3')).toBe(false);
  });

  it.each(['11.0.0.1', '192.168.1.8', '127.0.0.1', '::2', 'fe80::1', '', 'not-an-address', undefined])('does not trust %s', (address) => {
    expect(proxies.includes(address)).toBe(false);
  });

  it('parses CIDRs and bare addresses, and nothing else', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ network: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseCidr('::1/128')).toEqual({ network: '::1', prefix: 128, family: 'ipv6' });
    expect(parseCidr('127.0.0.1')).toEqual({ network: '127.0.0.1', prefix: 32, family: 'ipv4' });
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0/8', 'localhost', '10.0.0.0/-1', '10.0.0.0/8x']) {
      expect(parseCidr(bad)).toBeUndefined();
    }
  });
});
