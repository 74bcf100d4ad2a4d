/**
 * What `email.outbox` takes: the `EmailOutbox` of `nestjs-otp-delivery/testing`, a nodemailer
 * transport that keeps messages in memory. Declared by shape so the options do not need
 * nodemailer's types.
 */
export interface EmailOutboxTransport {
  /** @example 'EmailOutbox' */
  readonly name: string;
  readonly version: string;
  /** nodemailer's transport entry point; nodemailer calls it with its own message and callback. */
  send(mail: never, callback: never): void;
}

/** Whether `value` has the shape of an `EmailOutboxTransport` (a nodemailer transport: `name`, `version`, `send`). */
export function isEmailOutbox(value: unknown): value is EmailOutboxTransport {
  if (typeof value !== 'object' || value === null) return false;
  const { name, version, send } = value as Record<string, unknown>;
  return typeof name === 'string' && typeof version === 'string' && typeof send === 'function';
}
