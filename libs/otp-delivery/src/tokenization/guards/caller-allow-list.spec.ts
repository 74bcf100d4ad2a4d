import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { CallerAllowList, normalizeFingerprint } from './caller-allow-list.js';

async function certificate(attributes: { name: string; value: string }[]): Promise<X509Certificate> {
  return new X509Certificate((await generate(attributes, { keySize: 2048, algorithm: 'sha256' })).cert);
}

describe('caller allow-list', () => {
  let platform: X509Certificate;
  let other: X509Certificate;

  beforeAll(async () => {
    platform = await certificate([
      { name: 'organizationName', value: 'Thales' },
      { name: 'commonName', value: 'tsh-client' },
    ]);
    other = await certificate([
      { name: 'organizationName', value: 'Thales' },
      { name: 'commonName', value: 'tsh-client-2' },
    ]);
  });

  it('allows everything when no list is set', () => {
    expect(new CallerAllowList({}).allows(other)).toBe(true);
  });

  it('matches CN=<name> against the common name alone, and any other entry against the whole subject', () => {
    expect(new CallerAllowList({ subjects: ['CN=tsh-client'] }).allows(platform)).toBe(true);
    expect(new CallerAllowList({ subjects: ['CN=tsh-client'] }).allows(other)).toBe(false);
    expect(new CallerAllowList({ subjects: ['O=Thales, CN=tsh-client'] }).allows(platform)).toBe(true);
    expect(new CallerAllowList({ subjects: ['O=Thales, CN=tsh-client'] }).allows(other)).toBe(false);
    // Neither the whole subject nor a CN entry: a part of the subject does not match.
    expect(new CallerAllowList({ subjects: ['O=Thales'] }).allows(platform)).toBe(false);
    expect(new CallerAllowList({ subjects: ['cn=tsh-client'] }).allows(platform)).toBe(false);
  });

  it('does not match CN=<name> on a certificate with a second common name', async () => {
    const twoNames = await certificate([
      { name: 'commonName', value: 'anyone' },
      { name: 'commonName', value: 'tsh-client' },
    ]);
    expect(twoNames.subject.split('\n').filter((rdn) => rdn.startsWith('CN='))).toHaveLength(2);
    expect(new CallerAllowList({ subjects: ['CN=tsh-client'] }).allows(twoNames)).toBe(false);
    expect(new CallerAllowList({ subjects: ['CN=anyone'] }).allows(twoNames)).toBe(false);
  });

  it('matches fingerprints whatever their case or colons', () => {
    const plain = platform.fingerprint256.replace(/:/g, '');
    for (const entry of [platform.fingerprint256, platform.fingerprint256.toLowerCase(), plain, plain.toLowerCase()]) {
      expect(new CallerAllowList({ fingerprints: [entry] }).allows(platform)).toBe(true);
      expect(new CallerAllowList({ fingerprints: [entry] }).allows(other)).toBe(false);
    }
    expect(normalizeFingerprint('ab'.repeat(32))).toBe(Array(32).fill('AB').join(':'));
  });

  it('needs a certificate on both lists when both are set', () => {
    const lists = { subjects: ['CN=tsh-client', 'CN=tsh-client-2'], fingerprints: [platform.fingerprint256] };
    expect(new CallerAllowList(lists).allows(platform)).toBe(true);
    expect(new CallerAllowList(lists).allows(other)).toBe(false);
  });
});
