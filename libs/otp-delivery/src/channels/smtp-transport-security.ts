import { SecretValue } from '../common/secret-value.js';
import { isPlainObject } from '../common/plain-object.js';
import { TrustedProxyAddresses } from '../tokenization/guards/trusted-proxy-addresses.js';

/** nodemailer options that turn on its own logger: it prints every SMTP line, the message (and its code) and the full addresses. */
const NODEMAILER_LOG_KEYS = ['logger', 'debug'] as const;

const LOOPBACK = new TrustedProxyAddresses(['127.0.0.0/8', '::1/128']);

/** What decides whether STARTTLS is required: the SMTP options as nodemailer will read them. */
export interface SmtpTlsSettings {
  readonly host?: string;
  readonly service?: string;
  readonly secure?: boolean;
  readonly requireTLS?: boolean;
}

/**
 * Whether an `smtpUrl` (string or `SecretValue`) or a `transport` object sets nodemailer's
 * `logger` or `debug` to anything but `false`. Any other value passes: the other checks answer it.
 */
export function turnsOnNodemailerLog(value: unknown): boolean {
  if (isPlainObject(value)) return NODEMAILER_LOG_KEYS.some((key) => value[key] !== undefined && value[key] !== false);
  const url = value instanceof SecretValue ? value.reveal() : value;
  if (typeof url !== 'string' || !URL.canParse(url)) return false;
  // nodemailer reads every query parameter of the URL as an option (`?debug=true`).
  const query = new URL(url).searchParams;
  return NODEMAILER_LOG_KEYS.some((key) => query.getAll(key).some((setting) => setting !== 'false'));
}

/**
 * Whether `host` is this machine: 127.0.0.0/8, `::1` (bracketed or not, or IPv4-mapped) or
 * `localhost`. Only the literal name counts: no lookup, so a name that merely resolves to loopback
 * is treated as remote (the safe side).
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return name === 'localhost' || LOOPBACK.includes(name);
}

/**
 * Whether nodemailer must refuse to go on without STARTTLS (`requireTLS`): over plain SMTP to a
 * server that is not on loopback, unless the issuer allowed clear text. Otherwise nodemailer sends
 * `AUTH` and the message in clear text whenever the server, or whoever sits on the path, does not
 * offer STARTTLS. A `requireTLS: true` the options ask for is always kept.
 */
export function startTlsRequired(smtp: SmtpTlsSettings, allowCleartext: boolean): boolean {
  if (smtp.requireTLS === true) return true;
  if (smtp.secure === true || allowCleartext) return false;
  // Without host nor service nodemailer connects to localhost; a service names a remote provider.
  if (smtp.service !== undefined && smtp.host === undefined) return true;
  return !isLoopbackHost(smtp.host ?? 'localhost');
}
