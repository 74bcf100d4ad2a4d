import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MalformedBodyFilter } from 'nestjs-otp-delivery';
import { AppModule } from './app.module.js';
import { CALLBACKS } from './config/callbacks.js';
import { loadTlsOptions } from './config/tls-options.js';
import { closeOnSignals } from './shutdown.js';
import { setupOpenApi } from './openapi.js';

const logger = new Logger('SampleApp');
const httpsOptions = loadTlsOptions(process.env);
const app = await NestFactory.create(AppModule, { httpsOptions });
// A body that is not JSON fails before routing: answer it in the callbacks' shape, never echoing it.
app.useGlobalFilters(new MalformedBodyFilter(app.getHttpAdapter(), CALLBACKS));
closeOnSignals(app, logger);
setupOpenApi(app);
await app.listen(Number(process.env.PORT ?? 3000));
const { port } = app.getHttpServer().address() as { port: number };
logger.log(`listening on ${httpsOptions ? 'https (mutual TLS required)' : 'http'}://localhost:${port}`);
