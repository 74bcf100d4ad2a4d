import { readFileSync } from 'node:fs';
import type { HttpsOptions } from '@nestjs/common/interfaces/external/https-options.interface.js';
import type { Environment } from './environment.js';

/**
 * HTTPS with client certificates (mutual TLS) when `TLS_CERT`, `TLS_KEY` and `TLS_CLIENT_CA` are set.
 * `rejectUnauthorized: false` on purpose: the TLS handshake still asks for a client certificate
 * and verifies it against the CA, but the callback guard answers a caller without one with the
 * tokenization service's 401 body instead of a bare connection reset.
 */
export function loadTlsOptions(env: Pick<Environment, 'TLS_CERT' | 'TLS_KEY' | 'TLS_CLIENT_CA'>): HttpsOptions | undefined {
  const { TLS_CERT, TLS_KEY, TLS_CLIENT_CA } = env;
  if (!TLS_CERT || !TLS_KEY || !TLS_CLIENT_CA) return undefined;
  return {
    cert: readFileSync(TLS_CERT),
    key: readFileSync(TLS_KEY),
    ca: readFileSync(TLS_CLIENT_CA),
    requestCert: true,
    rejectUnauthorized: false,
    // Node's default minimum is already TLS 1.2, as the tokenization service requires.
  };
}
