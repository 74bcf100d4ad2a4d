import { Server as TlsServer } from 'node:tls';

/**
 * True when `server` (what the HTTP adapter's `getHttpServer()` answers) terminates TLS and asks
 * every client for a certificate: the only setup in which mode `mtls` can let a call through.
 * `requestCert` is the flag Node's TLS server keeps from its options (`https.createServer`,
 * `http2.createSecureServer`, Nest's `httpsOptions`, Fastify's `https`).
 */
export function requestsClientCertificates(server: unknown): server is TlsServer {
  return server instanceof TlsServer && (server as TlsServer & { requestCert?: unknown }).requestCert === true;
}
