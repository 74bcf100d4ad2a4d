import type { INestApplication, LoggerService } from '@nestjs/common';

/** Longest a clean shutdown may take before the process reports what is still open and exits 1. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * On SIGTERM/SIGINT, closes the app (every OnModuleDestroy / OnApplicationShutdown hook: HTTP
 * server, CM pools, SMTP pool, Redis, sandboxes) and then lets the process end on its own.
 * Unlike `enableShutdownHooks()`, which re-raises the signal, nothing forces the exit: a
 * connection left open keeps the process alive, and the watchdog names it.
 */
export function closeOnSignals(app: INestApplication, logger: LoggerService): void {
  const shutdown = async (signal: NodeJS.Signals) => {
    logger.log(`${signal} received, closing`);
    const watchdog = setTimeout(() => {
      logger.error(`still open after ${SHUTDOWN_GRACE_MS} ms: ${process.getActiveResourcesInfo().join(', ')}`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    watchdog.unref();
    await app.close();
    logger.log('closed');
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}
