import { readFileSync } from 'node:fs';
import { X509Certificate, constants } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { HttpsOptions } from '@nestjs/common/interfaces/external/https-options.interface.js';
import type { Environment } from './environment.js';
import { InvalidEnvironmentError } from './validate-environment.js';

type TlsVariable = 'TLS_CERT' | 'TLS_KEY' | 'TLS_CLIENT_CA';

/**
 * HTTPS with client certificates (mutual TLS) when `TLS_CERT`, `TLS_KEY` and `TLS_CLIENT_CA` are set.
 * `rejectUnauthorized: false` on purpose: the TLS handshake still asks for a client certificate
 * and verifies it against the CA, but the callback guard answers a caller without one with the
 * tokenization service's 401 body instead of a bare connection reset. A file that cannot be read,
 * is no PEM, or does not fit the others stops the boot naming the variable, never the path (a
 * secret store's path can say more than it should).
 */
export function loadTlsOptions(env: Pick<Environment, TlsVariable>): HttpsOptions | undefined {
  const { TLS_CERT, TLS_KEY, TLS_CLIENT_CA } = env;
  if (!TLS_CERT || !TLS_KEY || !TLS_CLIENT_CA) return undefined;
  const problems: string[] = [];
  const cert = readPem('TLS_CERT', TLS_CERT, problems);
  const key = readPem('TLS_KEY', TLS_KEY, problems);
  const ca = readPem('TLS_CLIENT_CA', TLS_CLIENT_CA, problems);
  // OpenSSL skips what it cannot use in a CA bundle (a key, a broken block): the server would then
  // trust no client, and every platform call would answer 401 behind a clean boot.
  if (problems.length === 0 && !holdsOnlyCertificates(ca)) problems.push('TLS_CLIENT_CA must hold the platform CA certificate(s), each a readable PEM certificate');
  if (problems.length === 0) {
    try {
      createSecureContext({ cert, key, ca });
    } catch (error) {
      problems.push(`TLS_CERT, TLS_KEY and TLS_CLIENT_CA do not make a usable TLS setting (${(error as NodeJS.ErrnoException).code ?? 'error'}): the key must be the certificate's`);
    }
  }
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  // Node's default minimum is already TLS 1.2, as the tokenization service requires. No
  // renegotiation: after one, Node keeps the first handshake's verdict for whatever certificate the
  // client presents next (the library also checks the certificate against the first handshake's).
  return { cert, key, ca, requestCert: true, rejectUnauthorized: false, secureOptions: constants.SSL_OP_NO_RENEGOTIATION };
}

/** The file's bytes, or a problem naming the variable (the error code, never the path). */
function readPem(variable: TlsVariable, path: string, problems: string[]): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    problems.push(`${variable} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return Buffer.alloc(0);
  }
  if (!bytes.includes('-----BEGIN ')) problems.push(`${variable} is not a PEM file`);
  return bytes;
}

/** Whether `pem` holds at least one certificate and nothing but readable certificates. */
function holdsOnlyCertificates(pem: Buffer): boolean {
  const text = pem.toString('utf8');
  const blocks = text.match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/g) ?? [];
  if (blocks.length === 0) return false;
  // Whatever the label (CERTIFICATE, OpenSSL's TRUSTED CERTIFICATE): a block that parses as a certificate.
  return blocks.every((block) => {
    try {
      new X509Certificate(block);
      return true;
    } catch {
      return false;
    }
  });
}
