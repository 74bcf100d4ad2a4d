import type { LoggerService } from '@nestjs/common';
import type { Logger as Pino } from 'pino';
import { redactText } from 'nestjs-otp-delivery';

type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** A stack trace as Nest passes it (`logger.error(message, stack)`): several lines starting with `at`. */
const STACK = /\n\s+at /;

/**
 * Nest's `LoggerService` over pino, so Nest, the library and the app log through one logger:
 * - a structured record (the library's `OtpLogger` logs `{ msg, correlationId, ...fields }`) comes
 *   out as one JSON object with those fields as properties, never as an inspected string;
 * - the Nest context (the last string argument Nest's `Logger` appends) goes to `context`;
 * - an `Error`, or a stack trace passed as text, goes to `err` (through the app's scrubbing error
 *   serializer), and an error's message as the line's `msg` is scrubbed the same way;
 * - Nest's `verbose` is pino's `trace`.
 */
export class PinoLoggerService implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: PinoLevel, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const last = rest.at(-1);
    // Nest's Logger appends its context last; a trailing stack (several lines) is not one.
    const context = typeof last === 'string' && !last.includes('\n') ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    let msg: string | undefined;
    if (typeof message === 'string') msg = message;
    else if (message instanceof Error) {
      fields.err = message;
      // An error's message may quote what a dependency answered: scrubbed like the serialized error.
      msg = redactText(message.message);
    } else if (isRecord(message)) {
      const { msg: text, ...record } = message;
      Object.assign(fields, record);
      if (typeof text === 'string') msg = text;
    } else if (message !== undefined) msg = String(message);
    const extra: unknown[] = [];
    for (const param of rest) {
      if (param === undefined) continue;
      if (param instanceof Error) fields.err = param;
      else if (typeof param === 'string' && STACK.test(param)) fields.err = { message: msg ?? '', stack: param };
      else if (isRecord(param)) Object.assign(fields, param);
      else extra.push(param);
    }
    if (extra.length > 0) fields.extra = extra;
    this.pino[level](fields, msg);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
