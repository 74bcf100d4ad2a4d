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

async function leaf(commonName: string, ca: Pem, usage: 'server' | 'client'): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY),
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
  const [server, client, rogueClient] = await Promise.all([
    leaf('localhost', ca, 'server'),
    leaf('tokenization-platform-client', ca, 'client'),
    leaf('tokenization-platform-client', rogueCa, 'client'),
  ]);
  return { ca, server, client, rogueClient };
}
