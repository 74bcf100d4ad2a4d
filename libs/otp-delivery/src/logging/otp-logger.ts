import { Logger } from '@nestjs/common';
import { OtpRequestContext } from './otp-request-context.js';
import { redactForLog, redactText } from './log-redaction.js';

/** Extra structured fields of one log line. */
export type OtpLogFields = Record<string, unknown>;

/** One structured line as `OtpLogger` hands it to Nest's logger. */
export interface OtpLogRecord {
  readonly msg: string;
  readonly correlationId?: string;
  readonly [field: string]: unknown;
}

/**
 * PII-safe structured logging over Nest's `Logger`, so whatever logger the app installs
 * (`ConsoleLogger` with `json: true`, pino through `app.useLogger`) receives it. Every line is an
 * object `{ msg, correlationId, ...fields }`: the correlation id is the `correlationId` field when
 * given, else the app's `OtpRequestContext`, if it runs one (as sent, but scrubbed like any text);
 * contact fields (`destination`, `phoneNumber`, `email`, ...) are masked; secret and card fields
 * (`code`, `otp`, `otpValue`, `tokenInfo`, `pan`, and any name with a word `secret`, `password`,
 * `authorization`, `cookie` or ending in `key` / `token`: `apiKey`, `productToken`, ...) are
 * replaced by `[redacted]`; `SecretValue`s stay redacted; in every string, URL credentials are
 * replaced and long digit runs and email addresses masked as a last line of defence.
 *
 * @example
 * private readonly logger = new OtpLogger(OtpDeliveryService.name);
 * this.logger.log('OTP sent', { deliveryId, channel: 'sms', destination: '+819012345678' });
 * // { msg: 'OTP sent', correlationId: 'c0ffee', deliveryId: 'd-1', channel: 'sms', destination: '********5678' }
 */
export class OtpLogger {
  private readonly logger: Logger;

  constructor(
    /** The Nest log context, usually the class name. */
    readonly context: string,
  ) {
    this.logger = new Logger(context);
  }

  log(msg: string, fields?: OtpLogFields): void {
    this.logger.log(this.record(msg, fields));
  }

  warn(msg: string, fields?: OtpLogFields): void {
    this.logger.warn(this.record(msg, fields));
  }

  /** An error line; `error` is reduced to its name and scrubbed message (stack included for Nest). */
  error(msg: string, fields?: OtpLogFields, error?: unknown): void {
    const record = this.record(msg, error === undefined ? fields : { ...fields, error });
    if (error instanceof Error && error.stack) this.logger.error(record, redactText(error.stack));
    else this.logger.error(record);
  }

  debug(msg: string, fields?: OtpLogFields): void {
    this.logger.debug(this.record(msg, fields));
  }

  verbose(msg: string, fields?: OtpLogFields): void {
    this.logger.verbose(this.record(msg, fields));
  }

  /**
   * The object a call would log, for callers that hand records to another sink (audit trails).
   * The correlation id is `fields.correlationId` when given (the module's callbacks name theirs),
   * else the current `OtpRequestContext`'s, if an app runs one.
   */
  record(msg: string, fields: OtpLogFields = {}): OtpLogRecord {
    const { correlationId: given, ...rest } = fields;
    const id = typeof given === 'string' ? given : OtpRequestContext.correlationId();
    // The caller's id is logged as sent, unless it holds what the scrubbing masks everywhere (a
    // phone number, a PAN, an email address): the same id always gives the same line.
    const correlationId = id === undefined ? undefined : redactText(id);
    const redacted = redactForLog(rest) as OtpLogFields;
    return correlationId === undefined ? { msg: redactedMessage(msg), ...redacted } : { msg: redactedMessage(msg), correlationId, ...redacted };
  }
}

/**
 * Messages found clean (nothing to scrub): the module's own constant texts, scanned once each. A
 * message the scrubbing changes is scanned every time and never kept, so no personal data is held.
 */
const cleanMessages = new Set<string>();
/** Past this many distinct clean messages (texts built from values), each is scanned every time. */
const MAX_CLEAN_MESSAGES = 512;

function redactedMessage(msg: string): string {
  if (cleanMessages.has(msg)) return msg;
  const redacted = redactText(msg);
  if (redacted === msg && cleanMessages.size < MAX_CLEAN_MESSAGES) cleanMessages.add(msg);
  return redacted;
}
