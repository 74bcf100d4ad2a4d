import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { loadTlsOptions } from './config/tls-options.js';

async function bootstrap(): Promise<void> {
  const httpsOptions = loadTlsOptions(process.env);
  const app = await NestFactory.create(AppModule, { httpsOptions });
  // SIGTERM/SIGINT run every OnApplicationShutdown hook: pools, SMTP, Redis and sandboxes close.
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  new Logger('SampleApp').log(`listening on ${httpsOptions ? 'https (mutual TLS)' : 'http'}://localhost:${port}`);
}

await bootstrap();
