import type { SMTPTransportOptions, Transport } from 'nodemailer';
import type { EmailOutboxTransport } from './email-outbox-transport.js';
import type { ResolvedEmailOptions } from './email-options.js';
import { isLoopbackHost, startTlsRequired } from './smtp-transport-security.js';
import { OtpLogger } from '../logging/otp-logger.js';

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
 * loaded here, so an app without email never loads it; for an SMTP server at boot (the server is
 * what the app sends through, and the health check verifies it), for the outbox on the first
 * message (`OutboxTransporter`). `email.transport` wins over `smtpUrl` and the `email.*` timeouts;
 * `email.pool` decides pooling. STARTTLS is required off loopback (see `startTlsRequired`) and
 * nodemailer's own logger stays off, whatever the URL or `transport` say.
 */
export async function createEmailTransporter(email: ResolvedEmailOptions): Promise<EmailTransporter | null> {
  if (!emailConfigured(email)) return null;
  if (email.outbox) return new OutboxTransporter(email.outbox);
  const { default: nodemailer } = await import('nodemailer');
  const smtp = await smtpOptions(email);
  return email.pool === false
    ? nodemailer.createTransport(smtp)
    : nodemailer.createTransport({ maxConnections: email.maxConnections, maxMessages: email.maxMessages, ...smtp, pool: true });
}

/**
 * The SMTP options nodemailer gets. The URL is parsed here, with nodemailer's own parser, rather
 * than passed as `url`: nodemailer lets the URL's options win over every other, so `?debug=true`
 * or `?requireTLS=false` would beat the settings forced below. Parsing it here also means the host
 * checked for loopback is the host nodemailer connects to.
 */
async function smtpOptions(email: ResolvedEmailOptions): Promise<SMTPTransportOptions> {
  const url = email.smtpUrl?.reveal();
  const fromUrl = url === undefined ? {} : (await import('nodemailer/lib/shared')).parseConnectionUrl(url);
  const { pool: _ignored, ...transport } = email.transport ?? {};
  const smtp = {
    connectionTimeout: email.connectionTimeoutMs,
    greetingTimeout: email.connectionTimeoutMs,
    socketTimeout: email.socketTimeoutMs,
    ...fromUrl,
    ...transport,
  } as SMTPTransportOptions;
  // Only when the allowance changes anything: options that require TLS themselves keep it.
  if (email.allowCleartextSmtp && startTlsRequired(smtp, false) && !startTlsRequired(smtp, true)) {
    // A deliberate choice, but one that must be seen at every start, as the sample app's http:// CM URL is.
    logger.warn('email.allowCleartextSmtp: the SMTP server is not on this machine and need not offer STARTTLS; the SMTP password and every code may cross the network in clear text');
  }
  if ((smtp.tls as { rejectUnauthorized?: unknown } | undefined)?.rejectUnauthorized === false && !isLoopbackHost(smtp.host ?? 'localhost')) {
    // TLS without a checked certificate stops no one on the path: said at every start, as clear text is.
    logger.warn("email: the SMTP server's TLS certificate is not checked (tls.rejectUnauthorized false): whoever sits on the path can read the SMTP password and every code");
  }
  // nodemailer's logger prints raw SMTP lines, the message with its code and the full addresses
  // included; the boot refuses these keys, and this keeps them off for any options that got here.
  return { ...smtp, requireTLS: startTlsRequired(smtp, email.allowCleartextSmtp), logger: false, debug: false };
}

const logger = new OtpLogger('EmailChannel');

/**
 * The email outbox behind nodemailer, with nodemailer loaded when the first message is sent, not
 * at boot: the outbox is the default of the sample app and of tests, most of which send no email,
 * and nodemailer is about a megabyte of code and source text kept in the heap for the life of
 * the process (measured in BENCHMARKS.md, "Memory"). The outbox needs no connection, so `verify()`
 * answers without loading it.
 */
class OutboxTransporter implements EmailTransporter {
  readonly #outbox: EmailOutboxTransport;
  #mailer?: Promise<EmailTransporter>;

  constructor(outbox: EmailOutboxTransport) {
    this.#outbox = outbox;
  }

  async sendMail(mail: EmailToSend): Promise<{ messageId: string }> {
    return (await this.#loadMailer()).sendMail(mail);
  }

  async verify(): Promise<true> {
    return true;
  }

  close(): void {
    // Nothing to close when no message was sent; the outbox itself holds no connection either.
    void this.#mailer?.then((mailer) => mailer.close(), () => undefined);
  }

  #loadMailer(): Promise<EmailTransporter> {
    this.#mailer ??= import('nodemailer').then(
      // The outbox option is typed by shape (see EmailOutboxTransport); the value is nodemailer's Transport.
      ({ default: nodemailer }) => nodemailer.createTransport(this.#outbox as unknown as Transport),
      (error: unknown) => {
        // A failed load is not remembered: the next message tries again.
        this.#mailer = undefined;
        throw error;
      },
    );
    return this.#mailer;
  }
}
