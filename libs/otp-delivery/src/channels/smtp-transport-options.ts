import type { KeyLike, SignKeyObjectInput, SignPrivateKeyInput } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';

/** SMTP authentication: a user and password, or OAuth2 (`type: 'OAuth2'`, e.g. for Gmail or Microsoft 365). */
export interface SmtpAuthOptions {
  /** `login` (default) or `OAuth2`. */
  readonly type?: string;
  /** User name of the SMTP login, or the mailbox OAuth2 acts for. */
  readonly user?: string;
  /** Password. Never logged. */
  readonly pass?: string;
  /** SASL method to use, e.g. `PLAIN`. */
  readonly method?: string;
  /** OAuth2 client id. */
  readonly clientId?: string;
  /** OAuth2 client secret. Never logged. */
  readonly clientSecret?: string;
  /** OAuth2 refresh token. Never logged. */
  readonly refreshToken?: string;
  /** OAuth2 access token. Never logged. */
  readonly accessToken?: string;
  /** Expiry of `accessToken`, epoch milliseconds. */
  readonly expires?: number;
  /** Token endpoint used to refresh `accessToken`. */
  readonly accessUrl?: string;
  /** OAuth2 with a Google service account: its client id (with `privateKey`). */
  readonly serviceClient?: string;
  /** OAuth2 with a Google service account: its private key, PEM or a key object. Never logged. */
  readonly privateKey?: KeyLike | SignKeyObjectInput | SignPrivateKeyInput;
  /** OAuth2: lifetime of a provisioned `accessToken`, in seconds. */
  readonly timeout?: number;
  /**
   * OAuth2: your own token provider, called as `(user, renew, callback)` when a token is needed (e.g.
   * Microsoft 365 after Basic SMTP AUTH): `callback(error, accessToken, expires)`.
   */
  readonly provisionCallback?: (user: string, renew: boolean, callback: (error: Error | null, accessToken?: string, expires?: number) => void) => void;
}

/** A DKIM key: the message is signed for `domainName` with the key published under `keySelector`. */
export interface SmtpDkimKey {
  /** @example 'email.mybank.co.jp' */
  readonly domainName?: string;
  /** @example 'otp2026' */
  readonly keySelector?: string;
  /** PEM private key. Never logged. */
  readonly privateKey?: KeyLike | SignKeyObjectInput | SignPrivateKeyInput;
}

/** DKIM signing of every message. */
export interface SmtpDkimOptions extends SmtpDkimKey {
  /** Several keys (each message is signed with all of them), instead of one. */
  readonly keys?: SmtpDkimKey | SmtpDkimKey[];
  /** Header fields to sign, `:`-separated. */
  readonly headerFieldNames?: string;
  /** Header fields not to sign, `:`-separated. */
  readonly skipFields?: string;
  /** Folder where large messages are cached while signed, or `false`. */
  readonly cacheDir?: string | false;
  /** Size in bytes above which a message is cached to `cacheDir`. */
  readonly cacheTreshold?: number;
  /** Hash algorithm. @default 'sha256' */
  readonly hashAlgo?: string;
}

/**
 * SMTP options for `email.transport`, passed to nodemailer's SMTP transport as given (they win over
 * `smtpUrl` and the `email.*` timeouts; `pool` is taken from `email.pool`). Declared here so the
 * options do not tie your code to nodemailer's types. Only these keys are accepted, each checked at
 * boot: a key nodemailer knows but this interface does not declare is refused with the misspellings.
 * @example { host: 'smtp.email.mybank.co.jp', port: 587, requireTLS: true, auth: { user: 'otp', pass: process.env.SMTP_PASS } }
 */
export interface SmtpTransportOptions {
  /** SMTP server host name or IP address. @default 'localhost' (nodemailer's), so set it or `service` */
  readonly host?: string;
  /** TCP port, an integer from 1 to 65535 (a numeric string is read as one). @default 587, or 465 with `secure` */
  readonly port?: number | string;
  /** TLS from the start (port 465); otherwise STARTTLS, required unless the host is loopback (see `email.allowCleartextSmtp`). @default false */
  readonly secure?: boolean;
  /** Refuse to send unless STARTTLS succeeds. Always on without `secure` off loopback, unless `email.allowCleartextSmtp`. */
  readonly requireTLS?: boolean;
  /** Never use STARTTLS. */
  readonly ignoreTLS?: boolean;
  /** Try STARTTLS and continue in clear text when it fails. */
  readonly opportunisticTLS?: boolean;
  /** TLS server name (SNI) when `host` is an IP address. */
  readonly servername?: string;
  /** TLS options, e.g. `{ ca }` for a private CA or `{ minVersion: 'TLSv1.2' }`. */
  readonly tls?: ConnectionOptions;
  /** Hostname announced in EHLO. @default the machine's hostname */
  readonly name?: string;
  /** Local interface to connect from. */
  readonly localAddress?: string;
  /** A well-known service instead of host and port, e.g. `'SES-AP-NORTHEAST-1'`. */
  readonly service?: string;
  /** Login: a user and password, or OAuth2. */
  readonly auth?: SmtpAuthOptions;
  /** Preferred authentication method, e.g. `PLAIN`. */
  readonly authMethod?: string;
  /** Proxy URL (`http://`, `socks5://`). */
  readonly proxy?: string;
  /** DKIM signing of every message (or let the SMTP relay sign). */
  readonly dkim?: SmtpDkimOptions;
  /** Time allowed to connect, in milliseconds (default `email.connectionTimeoutMs`). */
  readonly connectionTimeout?: number;
  /** Time allowed for the server's greeting, in milliseconds (default `email.connectionTimeoutMs`). */
  readonly greetingTimeout?: number;
  /** Idle time allowed on the connection, in milliseconds (default `email.socketTimeoutMs`). */
  readonly socketTimeout?: number;
  /** Time allowed for DNS lookups, in milliseconds. */
  readonly dnsTimeout?: number;
  /** Pooled connections at most (default `email.maxConnections`). */
  readonly maxConnections?: number;
  /** Messages per pooled connection (default `email.maxMessages`). */
  readonly maxMessages?: number;
  /** At most `rateLimit` messages per `rateDelta` milliseconds, pooled transport only. */
  readonly rateLimit?: number;
  /** Window of `rateLimit`, in milliseconds. @default 1000 */
  readonly rateDelta?: number;
  /** Ignored: `email.pool` decides. */
  readonly pool?: boolean;
  /** nodemailer's per-message transaction log; harmless here, its logger is always off. */
  readonly transactionLog?: boolean;
  /** Refuse message parts read from files (the module's messages have none). */
  readonly disableFileAccess?: boolean;
  /** Refuse message parts fetched from URLs (the module's messages have none). */
  readonly disableUrlAccess?: boolean;
}
