import { Logger, type LoggerService } from '@nestjs/common';
import type { Mail, MailMessage, SentMessageInfo, Transport } from 'nodemailer';
import { Subject, type Observable } from 'rxjs';
import { maskEmail } from '../../common/masking.js';

/** One message the outbox kept. */
export interface OutboxEmail {
  /** The `Message-ID` header, e.g. `<k2x9...@email.mybank.co.jp>`. */
  readonly messageId: string;
  /** Envelope sender. */
  readonly from: string;
  /** Envelope recipients. */
  readonly to: readonly string[];
  /** `Reply-To` as given, when set. */
  readonly replyTo?: string;
  readonly subject: string;
  /** Plain-text body (holds the code). */
  readonly text: string;
  /** HTML body (holds the code), when sent. */
  readonly html?: string;
  /** The whole MIME message exactly as an SMTP server would receive it. */
  readonly raw: string;
  readonly sentAt: Date;
}

/** How the outbox reports what it keeps. */
export interface EmailOutboxOptions {
  /**
   * Print an `[EMAIL OUTBOX]` line per message (masked recipient and subject).
   * @default true
   */
  log?: boolean;
  /**
   * Print the plain-text body under that line, so a person on a laptop can read the code.
   * @default true
   */
  logBody?: boolean;
  /**
   * Messages kept at most; the oldest go first.
   * @default 1000
   */
  max?: number;
  /** Where lines go. @default Nest's `Logger` with the context `EmailOutbox` */
  logger?: LoggerService;
}

type OutboxSentInfo = SentMessageInfo;

/**
 * An email outbox for laptops, the sample app and tests: a nodemailer transport that keeps every
 * message in memory instead of sending it. Messages are composed by nodemailer exactly as for
 * SMTP (`raw` is the real MIME text), so tests see what a server would.
 *
 * **A sandbox, never for production**: with `logBody` (the default) it prints message bodies,
 * codes included, so a person can read them; switch `logBody` off to print only the masked
 * recipient and the subject.
 *
 * @example
 * const outbox = new EmailOutbox();
 * OtpDeliveryModule.forRoot({ email: { outbox, from: 'no-reply@localhost' } });
 * // later, in a test
 * const mail = await outbox.waitFor((m) => m.to.includes('taro@example.com'));
 *
 * @example
 * // Watch messages as they are kept (a console, a live view):
 * outbox.messages$.subscribe((mail) => console.log(mail.subject));
 */
export class EmailOutbox implements Transport<OutboxSentInfo> {
  readonly name = 'EmailOutbox';
  readonly version = '1.0.0';
  /** What was sent, oldest first. */
  readonly messages: OutboxEmail[] = [];
  readonly #kept = new Subject<OutboxEmail>();
  /**
   * Every message as it is kept, after it joined `messages` (hot: no replay, read `messages` for
   * what came before). Never completes: the outbox lives as long as the app that sends to it.
   */
  readonly messages$: Observable<OutboxEmail> = this.#kept.asObservable();
  readonly #options: Required<Omit<EmailOutboxOptions, 'logger'>>;
  readonly #logger: LoggerService;
  readonly #waiters = new Set<{ match: (m: OutboxEmail) => boolean; resolve: (m: OutboxEmail) => void }>();
  #mailer: Mail<OutboxSentInfo> | undefined;

  constructor(options: EmailOutboxOptions = {}) {
    this.#options = { log: options.log ?? true, logBody: options.logBody ?? true, max: options.max ?? 1000 };
    this.#logger = options.logger ?? new Logger('EmailOutbox');
  }

  /**
   * Set by nodemailer when a transporter wraps the outbox. An accessor, not an own property, so
   * options validation (class-transformer) never walks into the nodemailer instance behind it.
   */
  get mailer(): Mail<OutboxSentInfo> | undefined {
    return this.#mailer;
  }

  set mailer(mailer: Mail<OutboxSentInfo> | undefined) {
    this.#mailer = mailer;
  }

  /** nodemailer's transport entry point. */
  send(mail: MailMessage<OutboxSentInfo>, callback: (err: Error | null, info?: OutboxSentInfo) => void): void {
    const envelope = mail.message.getEnvelope();
    const messageId = mail.message.messageId();
    mail.message.build((error, raw) => {
      if (error) return callback(error);
      const data = mail.data;
      const email: OutboxEmail = {
        messageId,
        from: envelope.from || '',
        to: envelope.to,
        replyTo: typeof data.replyTo === 'string' ? data.replyTo : undefined,
        subject: typeof data.subject === 'string' ? data.subject : '',
        text: asText(data.text),
        html: data.html === undefined ? undefined : asText(data.html),
        raw: raw.toString('utf8'),
        sentAt: new Date(),
      };
      this.#keep(email);
      callback(null, { envelope, messageId, accepted: [...envelope.to], rejected: [], response: '250 kept in the email outbox' });
    });
  }

  /** Nothing to connect to: always ready (lets health checks call `verify()`). */
  verify(): Promise<true> {
    return Promise.resolve(true);
  }

  /** The newest message, optionally the newest to one recipient. */
  latest(to?: string): OutboxEmail | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      if (!to || this.messages[i].to.includes(to)) return this.messages[i];
    }
    return undefined;
  }

  /** Resolves with the first kept message (already there or arriving) that matches, or rejects after `timeoutMs`. */
  waitFor(match: (m: OutboxEmail) => boolean = () => true, timeoutMs = 5000): Promise<OutboxEmail> {
    const found = this.messages.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (m: OutboxEmail) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`No matching email in the outbox within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Forgets every kept message. */
  clear(): void {
    this.messages.length = 0;
  }

  #keep(email: OutboxEmail): void {
    this.messages.push(email);
    if (this.messages.length > this.#options.max) this.messages.shift();
    if (this.#options.log) {
      const to = email.to.map(maskEmail).join(', ');
      const body = this.#options.logBody ? `\n${email.text.replace(/^/gm, '    ')}` : '';
      this.#logger.log(`[EMAIL OUTBOX] not sent (sandbox) to=${to} subject="${email.subject}"${body}`);
    }
    for (const waiter of this.#waiters) {
      if (waiter.match(email)) {
        this.#waiters.delete(waiter);
        waiter.resolve(email);
      }
    }
    this.#kept.next(email);
  }
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return '';
}
