import { inspect } from 'node:util';
import type { LoggerService, LogLevel } from '@nestjs/common';

/** One call the app made on its logger. */
export interface CapturedLogLine {
  readonly level: LogLevel;
  /** The message as given (a string or an `OtpLogger` record object). */
  readonly message: unknown;
  /** Everything else passed (stack, context). */
  readonly params: readonly unknown[];
  /** The whole call flattened to text (JSON where possible, `inspect` otherwise): what to search. */
  readonly text: string;
}

/**
 * A Nest `LoggerService` that records every line, for asserting what an app logged (and what it
 * must never log). Install it with `app.useLogger(logs)` (or `moduleRef.useLogger(logs)`);
 * `echo: true` also prints lines for debugging.
 *
 * @example
 * const logs = new CapturedLogs();
 * const app = moduleRef.createNestApplication({ logger: logs });
 * ...
 * expect(logs.text()).not.toContain(otp);
 * expect(logs.find('OTP sent')?.message).toMatchObject({ correlationId: 'c-1' });
 */
export class CapturedLogs implements LoggerService {
  readonly lines: CapturedLogLine[] = [];

  constructor(private readonly options: { echo?: boolean } = {}) {}

  log(message: unknown, ...params: unknown[]): void {
    this.record('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.record('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.record('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.record('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.record('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.record('fatal', message, params);
  }

  /** Every captured line as one text, one line per call. */
  text(): string {
    return this.lines.map((line) => line.text).join('\n');
  }

  /** The lines whose text contains `fragment`. */
  matching(fragment: string): CapturedLogLine[] {
    return this.lines.filter((line) => line.text.includes(fragment));
  }

  /** The first line whose text contains `fragment`. */
  find(fragment: string): CapturedLogLine | undefined {
    return this.lines.find((line) => line.text.includes(fragment));
  }

  /** Forgets every line captured so far. */
  clear(): void {
    this.lines.length = 0;
  }

  private record(level: LogLevel, message: unknown, params: unknown[]): void {
    const text = [message, ...params].map(flatten).join(' ');
    this.lines.push({ level, message, params, text });
    if (this.options.echo) console.warn(`[${level}] ${text}`);
  }
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}`;
  try {
    // inspect as well as JSON: a value with toJSON (SecretValue) could hide what inspect shows.
    return `${JSON.stringify(value)} ${inspect(value, { depth: 10, breakLength: Infinity })}`;
  } catch {
    return inspect(value, { depth: 10, breakLength: Infinity });
  }
}
