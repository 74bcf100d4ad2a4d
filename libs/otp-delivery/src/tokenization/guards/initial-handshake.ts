import type { Server as TlsServer, TLSSocket } from 'node:tls';

/**
 * The fingerprint of the certificate each connection was verified with at its first handshake
 * (null: none was verified). A TLS 1.2 client may renegotiate and present another certificate;
 * Node then keeps `authorized` from the first handshake while `getPeerX509Certificate()` answers
 * the new one, which nothing verified. Only the first handshake's certificate is trusted.
 */
const verifiedAtHandshake = new WeakMap<object, string | null>();
const watchedServers = new WeakSet<object>();

/** Records, for every connection `server` accepts from now on, the certificate its first handshake verified. */
export function recordInitialHandshakes(server: TlsServer): void {
  if (watchedServers.has(server)) return;
  watchedServers.add(server);
  server.on('secureConnection', (socket: TLSSocket) => {
    verifiedAtHandshake.set(socket, socket.authorized ? (socket.getPeerX509Certificate()?.fingerprint256 ?? null) : null);
  });
}

/**
 * Whether `fingerprint` is the certificate `socket`'s first handshake verified: true when the
 * socket's server is not watched (the app's own TLS setup; disable renegotiation there).
 */
export function verifiedAtFirstHandshake(socket: object, fingerprint: string): boolean {
  const recorded = verifiedAtHandshake.get(socket);
  return recorded === undefined || recorded === fingerprint;
}
