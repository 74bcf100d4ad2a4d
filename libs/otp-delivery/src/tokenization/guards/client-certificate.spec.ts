import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { isCurrentlyValid, readForwardedCertificate, subjectLine } from './client-certificate.js';

const HOUR = 60 * 60 * 1000;

async function certificate(notBeforeDate: Date, notAfterDate: Date): Promise<string> {
  const pems = await generate(
    [
      { name: 'countryName', value: 'FR' },
      { name: 'organizationName', value: 'Thales' },
      { name: 'commonName', value: 'tsh-client' },
    ],
    { keySize: 2048, algorithm: 'sha256', notBeforeDate, notAfterDate },
  );
  return pems.cert;
}

describe('forwarded client certificates', () => {
  let current: string;
  let fingerprint: string;

  beforeAll(async () => {
    current = await certificate(new Date(Date.now() - HOUR), new Date(Date.now() + 24 * HOUR));
    fingerprint = new X509Certificate(current).fingerprint256;
  });

  const der = () => current.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

  it.each([
    ['URL-encoded PEM (nginx $ssl_client_escaped_cert)', () => encodeURIComponent(current)],
    ['PEM with its line breaks', () => current],
    ['PEM with line breaks folded into spaces', () => current.replace(/\n/g, ' ')],
    ['PEM with line breaks folded into tabs (nginx $ssl_client_cert)', () => current.replace(/\n/g, '\t')],
    ['base64 DER without armour (HAProxy ssl_c_der,base64)', der],
  ])('reads %s', (_format, header) => {
    expect(readForwardedCertificate(header())?.fingerprint256).toBe(fingerprint);
  });

  it.each([
    ['an empty value', ''],
    ['text that is not base64', 'MIIB-not-a-certificate'],
    ['base64 that is not a certificate', Buffer.from('hello, world').toString('base64')],
    ['broken URL encoding', '%E0%A4%A'],
    ['an armoured block with junk inside', '-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----'],
    ['a value far longer than any certificate', 'A'.repeat(20_000)],
  ])('refuses %s', (_case, header) => {
    expect(readForwardedCertificate(header)).toBeUndefined();
  });

  it('refuses two certificates in one value (a repeated header, which Node joins into "a, b")', () => {
    for (const joined of [`${current}, ${current}`, `${encodeURIComponent(current)}, ${encodeURIComponent(current)}`, `${current}junk`]) {
      expect(readForwardedCertificate(joined)).toBeUndefined();
    }
  });

  it('tells a current certificate from an expired and a not-yet-valid one', async () => {
    const expired = await certificate(new Date(Date.now() - 48 * HOUR), new Date(Date.now() - HOUR));
    const future = await certificate(new Date(Date.now() + HOUR), new Date(Date.now() + 48 * HOUR));
    expect(isCurrentlyValid(readForwardedCertificate(encodeURIComponent(current))!)).toBe(true);
    expect(isCurrentlyValid(readForwardedCertificate(encodeURIComponent(expired))!)).toBe(false);
    expect(isCurrentlyValid(readForwardedCertificate(encodeURIComponent(future))!)).toBe(false);
  });

  it('prints the subject on one line, RDNs in certificate order', () => {
    expect(subjectLine(new X509Certificate(current))).toBe('C=FR, O=Thales, CN=tsh-client');
  });
});
