import { generate } from 'selfsigned';

/** PEM key and certificate. */
export interface Pem {
  readonly key: string;
  readonly cert: string;
}

/** A test PKI: the platform's client CA, our server certificate, a good client and a rogue one. */
export interface TestPki {
  readonly ca: Pem;
  readonly server: Pem;
  readonly client: Pem;
  /** A client certificate from another CA the server does not trust. */
  readonly rogueClient: Pem;
  /** Signed by the platform CA, subject `CN=another-platform-client`: outside a subject allow-list. */
  readonly otherClient: Pem;
  /** Signed by the platform CA with the client's subject but its own key: outside a fingerprint allow-list. */
  readonly twinClient: Pem;
  /** Signed by the platform CA, the client's subject, expired an hour ago. */
  readonly expiredClient: Pem;
}

const DAY = 24 * 60 * 60 * 1000;

async function authority(commonName: string): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

async function leaf(commonName: string, ca: Pem, usage: 'server' | 'client', notAfterDate?: Date): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY),
    notAfterDate,
    ca: { key: ca.key, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: usage === 'server', clientAuth: usage === 'client' },
      ...(usage === 'server'
        ? [{ name: 'subjectAltName' as const, altNames: [{ type: 2 as const, value: 'localhost' }, { type: 7 as const, ip: '127.0.0.1' }] }]
        : []),
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** Generates the whole PKI (RSA 2048, SHA-256), in memory. */
export async function createTestPki(): Promise<TestPki> {
  const ca = await authority('Tokenization Platform Test Client CA');
  const rogueCa = await authority('Rogue CA');
  const [server, client, rogueClient, otherClient, twinClient, expiredClient] = await Promise.all([
    leaf('localhost', ca, 'server'),
    leaf('tokenization-platform-client', ca, 'client'),
    leaf('tokenization-platform-client', rogueCa, 'client'),
    leaf('another-platform-client', ca, 'client'),
    leaf('tokenization-platform-client', ca, 'client'),
    leaf('tokenization-platform-client', ca, 'client', new Date(Date.now() - 60 * 60 * 1000)),
  ]);
  return { ca, server, client, rogueClient, otherClient, twinClient, expiredClient };
}

/** A certificate as an ingress forwards it: nginx's `$ssl_client_escaped_cert` (URL-encoded PEM). */
export function escapedCertificate(pem: Pem): string {
  return encodeURIComponent(pem.cert);
}
