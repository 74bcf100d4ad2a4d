import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { InvalidEnvironmentError, validateEnvironment } from './config/validate-environment.js';
import type { Environment } from './config/environment.js';
import { createAppLogger } from './logging/app-logger.js';
import { loggerSettingsFrom } from './logging/logger-settings.js';

const appLogger = createAppLogger(loggerSettingsFrom(process.env));
Logger.overrideLogger(appLogger.service);
const logger = new Logger('SampleApp');

/** Whatever stops the process is one log line too, written out before the exit. */
function die(error: unknown): never {
  if (error instanceof InvalidEnvironmentError) logger.fatal({ msg: error.message, problems: error.problems });
  else logger.fatal({ msg: 'the sample app stopped on an error', err: error });
  appLogger.flushSync();
  process.exit(1);
}

process.on('uncaughtException', die);
process.on('unhandledRejection', die);

let environment: Environment;
try {
  environment = validateEnvironment(process.env);
} catch (error) {
  die(error);
}
// Imported only now: AppModule's ConfigModule validates the environment when it is imported, and
// a failure there would escape as a stack trace rather than the one line above.
const { bootstrap } = await import('./bootstrap.js');
await bootstrap(environment, appLogger).catch(die);
