import { isPlainObject } from '../common/plain-object.js';
import { closest } from '../options/closest-name.js';
import type { SmtpAuthOptions, SmtpDkimKey, SmtpDkimOptions, SmtpTransportOptions } from './smtp-transport-options.js';

/** Answers the problems of one value at `path` (empty when it is fine). */
type Check = (value: unknown, path: string) => string[];

const rule =
  (valid: (value: unknown) => boolean, expected: string): Check =>
  (value, path) =>
    valid(value) ? [] : [`${path} must be ${expected}`];

const nonEmptyString = rule((value) => typeof value === 'string' && value.trim() !== '', 'a non-empty string');
const string = rule((value) => typeof value === 'string', 'a string');
const boolean = rule((value) => typeof value === 'boolean', 'true or false');
const positiveInteger = rule((value) => Number.isInteger(value) && (value as number) >= 1, 'a positive integer');
const milliseconds = rule((value) => Number.isInteger(value) && (value as number) >= 1, 'a positive integer number of milliseconds');
// nodemailer reads a numeric string too (the interface allows one): '587' is a port, 'abc' is not.
const port = rule((value) => {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return Number.isInteger(number) && (number as number) >= 1 && (number as number) <= 65_535;
}, 'an integer from 1 to 65535');
const plainObject = (what: string) => rule(isPlainObject, `a plain object of ${what}`);
const present: Check = () => [];
// A PEM string or a crypto key object: nodemailer and node:crypto judge which.
const privateKey = rule((value) => (typeof value === 'string' && value !== '') || (typeof value === 'object' && value !== null), 'a PEM string or a crypto key');

/** A plain object whose keys are all in `schema`, each checked by its rule; an unknown key gets a "did you mean". */
function group<T>(schema: Record<keyof T & string, Check>, what: string): Check {
  return (value, path) => {
    if (!isPlainObject(value)) return [`${path} must be a plain object of ${what}`];
    const known = Object.keys(schema);
    return Object.entries(value).flatMap(([key, entry]) => {
      const at = `${path}.${key}`;
      const check = (schema as Record<string, Check>)[key];
      if (check) return entry === undefined ? [] : check(entry, at);
      const near = closest(key, known);
      return [`${at} is not an option${near ? ` (did you mean ${path}.${near}?)` : ''}`];
    });
  };
}

const authOptions = group<SmtpAuthOptions>(
  {
    type: nonEmptyString,
    user: string,
    pass: string,
    method: nonEmptyString,
    clientId: string,
    clientSecret: string,
    refreshToken: string,
    accessToken: string,
    expires: rule((value) => Number.isInteger(value) && (value as number) >= 0, 'epoch milliseconds (a non-negative integer)'),
    accessUrl: nonEmptyString,
    serviceClient: nonEmptyString,
    privateKey,
    timeout: positiveInteger,
    provisionCallback: rule((value) => typeof value === 'function', 'a function'),
  },
  'SMTP authentication options',
);

const dkimKeyOptions = {
  domainName: nonEmptyString,
  keySelector: nonEmptyString,
  privateKey,
} satisfies Record<keyof SmtpDkimKey, Check>;
const dkimKey = group<SmtpDkimKey>(dkimKeyOptions, 'DKIM key options (domainName, keySelector, privateKey)');

const dkimOptions = group<SmtpDkimOptions>(
  {
    ...dkimKeyOptions,
    keys: (value, path) => (Array.isArray(value) ? value.flatMap((key, index) => dkimKey(key, `${path}[${index}]`)) : dkimKey(value, path)),
    headerFieldNames: nonEmptyString,
    skipFields: nonEmptyString,
    cacheDir: rule((value) => value === false || (typeof value === 'string' && value !== ''), 'a folder or false'),
    cacheTreshold: positiveInteger,
    hashAlgo: nonEmptyString,
  },
  'DKIM options',
);

/**
 * Every key `SmtpTransportOptions` declares, with its rule. `logger` and `debug` are known too: set,
 * they are refused by a rule of their own (nodemailer's log prints the code), `false` is harmless.
 */
const transportOptions = group<SmtpTransportOptions & { logger: unknown; debug: unknown }>(
  {
    host: nonEmptyString,
    port,
    secure: boolean,
    requireTLS: boolean,
    ignoreTLS: boolean,
    opportunisticTLS: boolean,
    servername: nonEmptyString,
    tls: plainObject('TLS options'),
    name: nonEmptyString,
    localAddress: nonEmptyString,
    service: nonEmptyString,
    auth: authOptions,
    authMethod: nonEmptyString,
    proxy: nonEmptyString,
    dkim: dkimOptions,
    connectionTimeout: milliseconds,
    greetingTimeout: milliseconds,
    socketTimeout: milliseconds,
    dnsTimeout: milliseconds,
    maxConnections: positiveInteger,
    maxMessages: positiveInteger,
    rateLimit: positiveInteger,
    rateDelta: milliseconds,
    pool: boolean,
    transactionLog: boolean,
    disableFileAccess: boolean,
    disableUrlAccess: boolean,
    logger: present,
    debug: present,
  },
  'SMTP options',
);

/**
 * What `email.transport` gets wrong, by path: a key it does not declare (`hots` once sent every
 * message to nodemailer's default, localhost) or a value of the wrong kind (`port: 'abc'`). Only a
 * plain object is walked: anything else is refused by the option's own rule.
 */
export function smtpTransportProblems(transport: unknown): string[] {
  return isPlainObject(transport) ? transportOptions(transport, 'email.transport') : [];
}
