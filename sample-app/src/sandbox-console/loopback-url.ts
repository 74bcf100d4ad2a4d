import { Server as HttpsServer } from 'node:https';
import type { Server } from 'node:net';

/**
 * The URL a process reaches its own listening HTTP server at: loopback when the server listens on
 * every address, else the address it listens on. For `callbackBaseUrl`, read when needed.
 *
 * @example callbackBaseUrl: () => loopbackUrlOf(app.getHttpServer())
 */
export function loopbackUrlOf(server: Server): string {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('The HTTP server does not listen on a TCP port (yet)');
  const scheme = server instanceof HttpsServer ? 'https' : 'http';
  const host = address.address === '::' || address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
