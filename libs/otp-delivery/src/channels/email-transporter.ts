import type { SMTPTransportOptions, Transport } from 'nodemailer';
import type { ResolvedEmailOptions } from './email-options.js';

/** One message as the email channel hands it to the transporter (a subset of nodemailer's message options). */
export interface EmailToSend {
  readonly from?: string;
  readonly replyTo?: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly messageId: string;
  readonly headers: Record<string, string>;
  /** Aborts the send (the delivery deadline). */
  readonly signal?: AbortSignal;
}

/** What the email channel needs of a nodemailer transporter (SMTP, pooled or not, or the email outbox). */
export interface EmailTransporter {
  sendMail(mail: EmailToSend): Promise<{ messageId: string }>;
  verify(): Promise<unknown>;
  close(): void;
}

/** Whether `email` asks for a transporter at all: an SMTP server or the outbox. */
export function emailConfigured(email: ResolvedEmailOptions): boolean {
  return email.outbox !== undefined || email.smtpUrl !== undefined || email.transport !== undefined;
}

/**
 * The transporter the email options ask for, or `null` when email is not configured. nodemailer is
 * loaded here, on first use, so an app without email never loads it. `email.transport` wins over
 * `smtpUrl` and the `email.*` timeouts; `email.pool` decides pooling.
 */
export async function createEmailTransporter(email: ResolvedEmailOptions): Promise<EmailTransporter | null> {
  if (!emailConfigured(email)) return null;
  const { default: nodemailer } = await import('nodemailer');
  // The outbox option is typed by shape (see EmailOutboxTransport); the value is nodemailer's Transport.
  if (email.outbox) return nodemailer.createTransport(email.outbox as unknown as Transport);
  const url = email.smtpUrl?.reveal();
  const { pool: _ignored, ...transport } = email.transport ?? {};
  const smtp = {
    ...(url ? { url } : {}),
    connectionTimeout: email.connectionTimeoutMs,
    greetingTimeout: email.connectionTimeoutMs,
    socketTimeout: email.socketTimeoutMs,
    ...transport,
  } as SMTPTransportOptions;
  return email.pool === false
    ? nodemailer.createTransport(smtp)
    : nodemailer.createTransport({ maxConnections: email.maxConnections, maxMessages: email.maxMessages, ...smtp, pool: true });
}
