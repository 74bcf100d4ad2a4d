import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { MalformedBodyFilter, OtpDeliveryHealthIndicator } from 'nestjs-otp-delivery';
import { CALLBACKS } from './config/callbacks.js';
import { Registry } from 'prom-client';
import { AppModule } from './app.module.js';
import type { Environment } from './config/environment.js';
import { environmentWarnings } from './config/environment-warnings.js';
import { loadTlsOptions } from './config/tls-options.js';
import type { AppLogger } from './logging/app-logger.js';
import { accessLogMiddleware } from './logging/access-log.middleware.js';
import { ManagementModule } from './management/management.module.js';
import { serveOpenApiOnDemand } from './openapi.js';
import { sandboxConsoleOptionsOf } from './sandboxes/sandbox-console.registration.js';
import { ShutdownState, closeConnectionsWhileDraining, closeOnSignals, drainMsFor, trackConnections } from './shutdown.js';
import type { Server } from 'node:http';

/**
 * Starts the two Nest apps of the process: the callback app on `PORT` (the only one the
 * tokenization platform and CM.com reach) and the management app on `MANAGEMENT_PORT` (probes,
 * metrics, OpenAPI, sandbox console), built from the callback app's providers. Both listen before
 * the `listening on` line, which names both ports.
 */
export async function bootstrap(environment: Environment, appLogger: AppLogger): Promise<void> {
  const logger = new Logger('SampleApp');
  for (const warning of environmentWarnings(environment)) logger.warn(warning);
  const httpsOptions = loadTlsOptions(environment);
  // abortOnError off: a failing boot rejects here and is logged as one line, instead of process.abort().
  // JSON is the one body the callbacks read (CM's XML status reports are read raw): no urlencoded parser.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { httpsOptions, logger: appLogger.service, abortOnError: false, bodyParser: false });
  app.useBodyParser('json');
  // Callback answers are never cached: no ETag digest of every body.
  app.set('etag', false);
  // The callback port faces the tokenization platform: it does not name the server's framework.
  app.disable('x-powered-by');
  // Straight to pino: the access line has no personal data for the Nest logger's scrubbing to find.
  const httpLog = appLogger.pino.child({ context: 'Http' });
  app.use(accessLogMiddleware((fields, msg) => httpLog.info(fields, msg)));
  const shutdown = new ShutdownState();
  // Once draining, every answer closes its connection: a kept-alive one would go on taking requests.
  app.use(closeConnectionsWhileDraining(shutdown));
  // A body that is not JSON fails before routing: answer it in the callbacks' shape, never echoing it.
  app.useGlobalFilters(new MalformedBodyFilter(app.getHttpAdapter(), CALLBACKS));
  await app.listen(environment.PORT);
  const connections = trackConnections(app.getHttpServer() as Server);

  const management = await NestFactory.create<NestExpressApplication>(
    ManagementModule.register({
      health: app.get(OtpDeliveryHealthIndicator),
      registry: app.get(Registry),
      shutdown,
      dependencyCheckIntervalMs: environment.DEPENDENCY_CHECK_INTERVAL_MS,
      sandboxConsole: sandboxConsoleOptionsOf(app),
    }),
    // Closed last, once the callbacks drained: nothing there is worth waiting for (a probe, a scrape,
    // the console's live stream, which a browser would otherwise keep reopening on a kept-alive socket).
    { logger: appLogger.service, abortOnError: false, forceCloseConnections: true },
  );
  // Neither port names the server's framework.
  management.disable('x-powered-by');
  // The console's actions take JSON: a malformed body gets a fixed message, never V8's quote of it.
  management.useGlobalFilters(new MalformedBodyFilter(management.getHttpAdapter()));
  serveOpenApiOnDemand(management, app);
  await management.listen(environment.MANAGEMENT_PORT);

  closeOnSignals({
    apps: [app, management],
    state: shutdown,
    delayMs: environment.SHUTDOWN_DELAY_MS,
    drainMs: drainMsFor(environment.DELIVERY_DEADLINE_MS),
    connections,
    logger,
    afterClose: () => appLogger.flushSync(),
  });
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const managementPort = (management.getHttpServer().address() as AddressInfo).port;
  logger.log(
    `listening on ${httpsOptions ? 'https' : 'http'}://localhost:${port} (callbacks${httpsOptions ? ', mutual TLS required' : ''}), ` +
      `management on http://localhost:${managementPort} (health, metrics, docs)`,
  );
}
