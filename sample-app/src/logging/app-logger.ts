import { pino, stdSerializers, type DestinationStream, type Logger as Pino, type LoggerOptions } from 'pino';
import { createRequire } from 'node:module';
import { OtpRequestContext, redactText } from 'nestjs-otp-delivery';
import { PinoLoggerService } from './pino-logger.service.js';
import { isoTimeOncePerMs } from './iso-time.js';

/** What the logger is built from (`LOG_LEVEL`, `LOG_FORMAT`). */
export interface AppLoggerSettings {
  readonly level: string;
  /** `json` or `pretty`; unset: `pretty` on a terminal, else `json`. */
  readonly format?: 'json' | 'pretty';
}

/**
 * Most a slow stdout may hold back before lines are dropped, rather than the process growing
 * without bound while a log shipper is stuck.
 */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** The app's logger, and how to get what it holds back onto stdout before the process exits. */
export interface AppLogger {
  readonly service: PinoLoggerService;
  readonly pino: Pino;
  readonly format: 'json' | 'pretty';
  /** Writes out buffered lines now, synchronously: before `process.exit`. */
  flushSync(): void;
}

/**
 * One logger for the whole process (both Nest apps, the library, the sandboxes):
 * - `json`: one JSON object per line, for log shippers, written asynchronously (sonic-boom with
 *   `sync: false`), so a slow pipe does not stall the event loop;
 * - `pretty`: readable lines for a terminal (pino-pretty), written synchronously, as a terminal
 *   is not where a slow reader holds the process.
 * Every line logged for a request carries its correlation id: the library's lines and the access
 * line name it themselves; a line that does not gets the current `OtpRequestContext`'s, if code
 * the issuer adds runs one. Errors go through pino's serializer with their message and stack
 * scrubbed like the library's log fields (phone numbers, emails, PANs, URL credentials).
 */
export function createAppLogger(settings: AppLoggerSettings, isTty = process.stdout.isTTY === true): AppLogger {
  const format = settings.format ?? (isTty ? 'pretty' : 'json');
  const destination = format === 'json' ? pino.destination({ dest: 1, sync: false, maxLength: MAX_BUFFERED_BYTES }) : undefined;
  const stream: DestinationStream =
    destination ??
    prettyStream()({ sync: true, destination: 1, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,context', messageFormat: '{if context}[{context}] {end}{msg}' });
  const logger = pino(appLoggerOptions(settings.level, format), stream);
  return {
    service: new PinoLoggerService(logger),
    pino: logger,
    format,
    flushSync: () => {
      try {
        destination?.flushSync();
      } catch {
        // Nothing more can be done for lines stdout will not take; the exit goes on.
      }
    },
  };
}

/** pino-pretty, loaded only for the `pretty` format: a JSON logger never needs it (about 0.3 MiB of heap beyond pino). */
function prettyStream(): typeof import('pino-pretty').build {
  return (createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty')).build;
}

/** pino's options for the app: ISO time, level names in JSON, the request's correlation id, scrubbed errors. */
export function appLoggerOptions(level: string, format: 'json' | 'pretty'): LoggerOptions {
  return {
    level,
    timestamp: isoTimeOncePerMs(),
    // Level names, not numbers, are what shippers and people search for; pino-pretty reads numbers.
    formatters: format === 'json' ? { level: (label) => ({ level: label }) } : {},
    // A record that names its correlation id (the library's, the access line) needs no lookup.
    mixin: (record: object) => {
      if ((record as { correlationId?: unknown }).correlationId !== undefined) return {};
      const correlationId = OtpRequestContext.correlationId();
      return correlationId === undefined ? {} : { correlationId: redactText(correlationId) };
    },
    serializers: { err: scrubbedError },
  };
}

function scrubbedError(error: unknown): unknown {
  const serialized = error instanceof Error ? stdSerializers.err(error) : (error as Record<string, unknown>);
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  const { message, stack } = serialized as { message?: unknown; stack?: unknown };
  return {
    ...serialized,
    ...(typeof message === 'string' ? { message: redactText(message) } : {}),
    ...(typeof stack === 'string' ? { stack: redactText(stack) } : {}),
  };
}
