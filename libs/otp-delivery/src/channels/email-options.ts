import { IsBoolean, IsInt, IsOptional, IsString, Min, ValidateBy, ValidateIf, IsNotEmpty, type ValidationOptions } from 'class-validator';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';
import { IsSecret } from '../options/is-secret.decorator.js';
import { toSecret, type SecretValue } from '../common/secret-value.js';
import type { SmtpTransportOptions } from './smtp-transport-options.js';
import { isEmailOutbox, type EmailOutboxTransport } from './email-outbox-transport.js';
import { IsPlainObject } from '../options/is-plain-object.decorator.js';
import { turnsOnNodemailerLog } from './smtp-transport-security.js';
import { smtpTransportProblems } from './smtp-transport-options.check.js';
import { isSenderMailbox } from './sender-mailbox.js';

/** `isSenderMailbox`, as an option rule. */
function IsMailbox(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isMailbox', validator: { validate: isSenderMailbox } }, options);
}

/**
 * The built-in email channel: an SMTP server (URL or nodemailer options), or the in-memory email
 * outbox on a laptop with no SMTP server. With none of `smtpUrl`, `transport`, `outbox` set, email
 * is not configured and a delivery by email answers `unavailable`.
 */
export class EmailOptions {
  /**
   * SMTP server URL. It may hold a password: pass a `SecretValue` to keep it out of logs. The
   * `logger` and `debug` query options are refused: nodemailer's own log prints the code.
   * @default undefined
   * @example 'smtps://user:pass@smtp.email.mybank.co.jp:465'
   */
  @IsOptional()
  @IsSecret({ pattern: /^smtps?:\/\/\S+$/, patternName: 'an smtp:// or smtps:// URL' })
  @ValidateBy(
    { name: 'noNodemailerLog', validator: { validate: (value: unknown) => !turnsOnNodemailerLog(value) } },
    { message: "smtpUrl must not set logger or debug: nodemailer's own log prints each message with its code and the full addresses" },
  )
  @KeepAsIs()
  smtpUrl?: string | SecretValue;

  /**
   * SMTP options, instead of `smtpUrl` (TLS, auth, proxy, DKIM ...), passed to nodemailer's SMTP
   * transport as given. Only the keys `SmtpTransportOptions` declares are taken, each checked at boot
   * (a misspelt `host` would send to localhost). `pool` is taken from `email.pool`; `logger` and
   * `debug` are refused (nodemailer's own log prints the code).
   * @default undefined
   * @example { host: 'smtp.email.mybank.co.jp', port: 587, auth: { user: 'otp', pass: process.env.SMTP_PASS } }
   */
  @IsOptional()
  @IsPlainObject({ message: 'transport must be a plain object of SMTP options (not a nodemailer transporter)' })
  @ValidateBy(
    { name: 'noNodemailerLog', validator: { validate: (value: unknown) => !turnsOnNodemailerLog(value) } },
    { message: "transport must not set logger or debug: nodemailer's own log prints each message with its code and the full addresses" },
  )
  @KeepAsIs()
  transport?: SmtpTransportOptions;

  /**
   * Keep messages in memory instead of sending them (sample app, laptop, tests): an `EmailOutbox`
   * from `nestjs-otp-delivery/testing`. A sandbox: never use it in production.
   * @default undefined
   * @example new EmailOutbox()
   */
  @IsOptional()
  @ValidateBy(
    { name: 'isEmailOutbox', validator: { validate: isEmailOutbox } },
    { message: 'outbox must be an EmailOutbox from nestjs-otp-delivery/testing' },
  )
  @KeepAsIs()
  outbox?: EmailOutboxTransport;

  /**
   * Sender address, on the issuer's sending subdomain (with SPF, DKIM and DMARC set up so mail is
   * not treated as spam): one address, alone or as `"Name" <address>`. Required when email is configured.
   * @default undefined
   * @example '"MyBank" <no-reply@email.mybank.co.jp>'
   */
  @ValidateIf((o: EmailOptions) => o.smtpUrl !== undefined || o.transport !== undefined || o.outbox !== undefined || o.from !== undefined)
  @IsNotEmpty({ message: 'from is required when smtpUrl, transport or outbox is set' })
  @IsString({ message: 'from must be an address such as "MyBank" <no-reply@email.mybank.co.jp>' })
  @IsMailbox({ message: 'from must be one email address, alone or as "Display Name" <address@domain>' })
  from?: string;

  /**
   * Reply-To address, e.g. a monitored support mailbox: one address, alone or as `"Name" <address>`.
   * @default undefined (no Reply-To)
   * @example 'support@mybank.co.jp'
   */
  @IsOptional()
  @IsString()
  @IsMailbox({ message: 'replyTo must be one email address, alone or as "Display Name" <address@domain>' })
  replyTo?: string;

  /**
   * Keep SMTP connections open and reuse them (nodemailer's pooled transport).
   * @default true
   * @example false
   */
  @IsOptional()
  @IsBoolean()
  pool?: boolean;

  /**
   * Pooled SMTP connections at most.
   * @default 5
   * @example 10
   */
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'maxConnections must be at least 1' })
  maxConnections?: number;

  /**
   * Messages sent over one pooled connection before it is renewed.
   * @default 100
   * @example 500
   */
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'maxMessages must be at least 1' })
  maxMessages?: number;

  /**
   * Time allowed to connect to the SMTP server and get its greeting, in milliseconds (nodemailer's
   * own default is two minutes, far beyond a delivery's deadline).
   * @default 3000
   * @example 5000
   */
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'connectionTimeoutMs must be at least 1' })
  connectionTimeoutMs?: number;

  /**
   * Idle time allowed on an SMTP connection, in milliseconds.
   * @default 10000
   * @example 30000
   */
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'socketTimeoutMs must be at least 1' })
  socketTimeoutMs?: number;

  /**
   * Allow an `smtp://` server (or `transport` without `secure`) that is not on loopback to be used
   * without STARTTLS. Without it such a server must offer STARTTLS, or nothing is sent: no password,
   * no message (nodemailer's `requireTLS`), since in clear text anyone on the path reads the login
   * and the code. A server on 127.0.0.0/8, `::1` or `localhost` (a local relay) never needs it. Set
   * for another server, it is warned of at every start.
   * @default false
   * @example true
   */
  @IsOptional()
  @IsBoolean()
  allowCleartextSmtp?: boolean;
}

/** `EmailOptions` with its defaults applied and the SMTP URL kept secret. */
export interface ResolvedEmailOptions {
  readonly smtpUrl?: SecretValue;
  readonly transport?: SmtpTransportOptions;
  readonly outbox?: EmailOutboxTransport;
  readonly from?: string;
  readonly replyTo?: string;
  readonly pool: boolean;
  readonly maxConnections: number;
  readonly maxMessages: number;
  readonly connectionTimeoutMs: number;
  readonly socketTimeoutMs: number;
  readonly allowCleartextSmtp: boolean;
}

/** Applies the email defaults and answers the problems the class checks cannot see (alternatives). */
export function resolveEmailOptions(email: EmailOptions | undefined): { options: ResolvedEmailOptions; problems: string[] } {
  const problems: string[] = [];
  const sources = [email?.smtpUrl, email?.transport, email?.outbox].filter((source) => source !== undefined);
  if (sources.length > 1) problems.push('email.smtpUrl, email.transport and email.outbox are alternatives: set only one');
  problems.push(...smtpTransportProblems(email?.transport));
  return {
    options: {
      smtpUrl: email?.smtpUrl === undefined ? undefined : toSecret(email.smtpUrl),
      transport: email?.transport,
      outbox: email?.outbox,
      from: email?.from,
      replyTo: email?.replyTo,
      pool: email?.pool ?? true,
      maxConnections: email?.maxConnections ?? 5,
      maxMessages: email?.maxMessages ?? 100,
      connectionTimeoutMs: email?.connectionTimeoutMs ?? 3000,
      socketTimeoutMs: email?.socketTimeoutMs ?? 10000,
      allowCleartextSmtp: email?.allowCleartextSmtp ?? false,
    },
    problems,
  };
}
