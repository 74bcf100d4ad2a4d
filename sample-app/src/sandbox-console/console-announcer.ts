import { Server as HttpsServer } from 'node:https';
import type { Server } from 'node:net';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * Says where the console is, loudly, like the sandboxes: once the app it is mounted on listens,
 * since only then is the port known.
 */
@Injectable()
export class ConsoleAnnouncer implements OnApplicationBootstrap {
  private readonly logger = new Logger('SandboxConsole');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    const announce = () => {
      const address = server.address();
      if (typeof address !== 'object' || address === null) return;
      const scheme = server instanceof HttpsServer ? 'https' : 'http';
      this.logger.warn(`Sandbox console: ${scheme}://localhost:${address.port}/sandbox (it shows codes: a sandbox, never for production)`);
    };
    if (server.listening) announce();
    else server.once('listening', announce);
  }
}
