import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EMAIL_OPTIONS, EMAIL_TRANSPORTER } from './channels.constants.js';
import type { ResolvedEmailOptions } from './email-options.js';
import type { EmailTransporter } from './email-transporter.js';
import type { OtpChannel, OtpChannelMessage, OtpChannelReceipt } from './otp-channel.interface.js';
import { OtpChannelError } from './otp-channel.error.js';

// One address, no display name, no list: a destination never becomes several recipients.
const EMAIL_ADDRESS = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+\.[^\s@<>()[\]",;:\\]+$/;
/** nodemailer error codes of a server that could not be reached or dropped the connection. */
const UNREACHABLE = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'EMAXLIMIT']);

/**
 * The built-in email channel: SMTP through nodemailer's pooled transport, or the `EmailOutbox`
 * when `email.outbox` is set (nodemailer is loaded only when one of them is configured). Sends
 * text and HTML with From and Reply-To from the options; nodemailer encodes UTF-8 subjects
 * (RFC 2047) so Japanese subjects read right in real clients. The Message-ID carries the
 * delivery id. The pool is closed on shutdown.
 */
@Injectable()
export class EmailChannel implements OtpChannel, OnApplicationShutdown {
  readonly name = 'email';
  readonly destinationKind = 'email';
  readonly #transporter?: EmailTransporter;
  readonly #from?: string;
  readonly #replyTo?: string;
  readonly #domain: string;
  readonly #sandbox: boolean;

  constructor(@Inject(EMAIL_OPTIONS) email: ResolvedEmailOptions, @Inject(EMAIL_TRANSPORTER) transporter: EmailTransporter | null) {
    this.#from = email.from;
    this.#replyTo = email.replyTo;
    this.#domain = /@([^>\s]+)/.exec(email.from ?? '')?.[1] ?? 'localhost';
    this.#sandbox = email.outbox !== undefined;
    this.#transporter = transporter ?? undefined;
  }

  /** Whether email is configured (an SMTP server or the outbox). */
  get configured(): boolean {
    return this.#transporter !== undefined;
  }

  /** Whether messages go to the in-memory outbox instead of an SMTP server. */
  get sandbox(): boolean {
    return this.#sandbox;
  }

  /** Sends the rendered email; resolves once the SMTP server (or the outbox) accepted it. */
  async deliver(message: OtpChannelMessage): Promise<OtpChannelReceipt> {
    const transporter = this.#requireTransporter();
    if (typeof message.destination !== 'string' || !EMAIL_ADDRESS.test(message.destination)) {
      throw new OtpChannelError(this.name, 'invalid-destination', 'destination is not an email address');
    }
    try {
      const info = await transporter.sendMail({
        from: this.#from,
        replyTo: this.#replyTo,
        to: message.destination,
        subject: message.subject ?? '',
        text: message.text.reveal(),
        html: message.html?.reveal(),
        messageId: `<${message.deliveryId}@${this.#domain}>`,
        headers: { 'Content-Language': message.locale, 'Auto-Submitted': 'auto-generated' },
        signal: message.signal,
      });
      return { providerMessageId: info.messageId, acceptedAt: new Date() };
    } catch (error) {
      throw this.#mapError(error, message.signal);
    }
  }

  /** Proves the SMTP server answers and accepts the credentials (the outbox always does); for health checks. */
  async verify(): Promise<void> {
    try {
      await this.#requireTransporter().verify();
    } catch (error) {
      throw error instanceof OtpChannelError ? error : this.#mapError(error, undefined);
    }
  }

  /** Closes the SMTP connection pool. */
  onApplicationShutdown(): void {
    this.#transporter?.close();
  }

  #requireTransporter(): EmailTransporter {
    if (!this.#transporter) {
      throw new OtpChannelError(this.name, 'unavailable', 'email is not configured: set email.smtpUrl, email.transport or email.outbox', {
        retryable: false,
      });
    }
    return this.#transporter;
  }

  #mapError(error: unknown, signal: AbortSignal | undefined): unknown {
    // An abort is the delivery service's to explain (deadline or cancellation).
    if (signal?.aborted) return signal.reason ?? error;
    // nodemailer's error (the cause) is not kept: SMTP replies often quote the recipient's address.
    const { code, responseCode, command } = (error ?? {}) as { code?: string; responseCode?: number; command?: string };
    const codes = [code, responseCode].filter((part) => part !== undefined).join(' ');
    if (typeof responseCode === 'number') {
      // Who is at fault depends on the command the server answered, not on the reply code alone.
      if (command === 'CONN') {
        // A refused greeting (554 "no service", 421): the server turns connections away for now.
        return new OtpChannelError(this.name, 'unavailable', `SMTP server refused the connection (${codes})`, { retryable: true });
      }
      if (command === 'STARTTLS') {
        return new OtpChannelError(this.name, 'unavailable', `SMTP server did not start TLS (${codes})`, { retryable: true });
      }
      if (responseCode >= 500 && command === 'RCPT TO') {
        return new OtpChannelError(this.name, 'invalid-destination', `SMTP server refused the recipient (${codes})`, { retryable: false });
      }
      if (responseCode >= 500 && command === 'MAIL FROM') {
        // The issuer's sender (email.from, its domain's SPF/DKIM), not the cardholder's address.
        return new OtpChannelError(this.name, 'rejected', `SMTP server refused the sender (${codes})`, { retryable: false });
      }
      if (responseCode >= 500) {
        return new OtpChannelError(this.name, 'rejected', `SMTP server refused the message (${codes})`, { retryable: false });
      }
      if (responseCode >= 400) {
        return new OtpChannelError(this.name, 'unavailable', `SMTP server deferred the message (${codes})`, { retryable: true });
      }
    }
    const what = code && UNREACHABLE.has(code) ? `SMTP server unreachable (${code})` : `SMTP send failed (${code ?? 'unknown error'})`;
    return new OtpChannelError(this.name, 'unavailable', what, { retryable: true });
  }
}
