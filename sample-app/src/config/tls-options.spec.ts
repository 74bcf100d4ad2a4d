import { constants } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { loadTlsOptions } from './tls-options.js';
import { InvalidEnvironmentError } from './validate-environment.js';

describe('loadTlsOptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-options-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  let ours: { cert: string; key: string };
  let theirs: { cert: string; key: string };

  beforeAll(async () => {
    const pki = async (name: string) => {
      const pems = await generate([{ name: 'commonName', value: name }], { keySize: 2048, algorithm: 'sha256' });
      return { cert: pems.cert, key: pems.private };
    };
    [ours, theirs] = await Promise.all([pki('issuer.example'), pki('other.example')]);
  });

  const problemsOf = (env: Parameters<typeof loadTlsOptions>[0]): readonly string[] => {
    try {
      loadTlsOptions(env);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEnvironmentError);
      return (error as InvalidEnvironmentError).problems;
    }
    return [];
  };

  it('reads a certificate, its key and the client CA', () => {
    const options = loadTlsOptions({ TLS_CERT: file('cert.pem', ours.cert), TLS_KEY: file('key.pem', ours.key), TLS_CLIENT_CA: file('ca.pem', theirs.cert) });
    expect(options).toMatchObject({ requestCert: true, rejectUnauthorized: false });
    // No TLS renegotiation: a client could otherwise swap in an unverified certificate after the handshake.
    expect((options!.secureOptions ?? 0) & constants.SSL_OP_NO_RENEGOTIATION).toBe(constants.SSL_OP_NO_RENEGOTIATION);
  });

  it('refuses a client CA file holding no usable certificate (a key, a broken block), which OpenSSL would skip in silence', () => {
    const env = (ca: string) => ({ TLS_CERT: file('cert3.pem', ours.cert), TLS_KEY: file('key3.pem', ours.key), TLS_CLIENT_CA: file('ca3.pem', ca) });
    const refused = ['TLS_CLIENT_CA must hold the platform CA certificate(s), each a readable PEM certificate'];
    expect(problemsOf(env(theirs.key))).toEqual(refused);
    expect(problemsOf(env('-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n'))).toEqual(refused);
    expect(problemsOf(env(`${theirs.cert}\n${theirs.key}`))).toEqual(refused);
    expect(problemsOf(env(`${theirs.cert}\n${ours.cert}`))).toEqual([]);
    // OpenSSL's trusted-certificate form (`openssl x509 -trustout`) is a certificate too.
    expect(problemsOf(env(theirs.cert.replace(/BEGIN CERTIFICATE/, 'BEGIN TRUSTED CERTIFICATE').replace(/END CERTIFICATE/, 'END TRUSTED CERTIFICATE')))).toEqual([]);
  });

  it('names each variable whose file cannot be read or is no PEM, never the path', () => {
    const secretPath = join(dir, 'SECRET-PATH', 'tls.key');
    const problems = problemsOf({ TLS_CERT: dir, TLS_KEY: secretPath, TLS_CLIENT_CA: file('ca.txt', 'not a certificate') });
    expect(problems).toEqual(['TLS_CERT could not be read (EISDIR)', 'TLS_KEY could not be read (ENOENT)', 'TLS_CLIENT_CA is not a PEM file']);
    expect(problems.join(' ')).not.toContain('SECRET-PATH');
  });

  it('refuses a key that is not the certificate\'s', () => {
    const problems = problemsOf({ TLS_CERT: file('cert2.pem', ours.cert), TLS_KEY: file('key2.pem', theirs.key), TLS_CLIENT_CA: file('ca2.pem', theirs.cert) });
    expect(problems).toEqual([expect.stringMatching(/^TLS_CERT, TLS_KEY and TLS_CLIENT_CA do not make a usable TLS setting \(.+\): the key must be the certificate's$/)]);
  });
});
