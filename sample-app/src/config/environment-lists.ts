import { isIP } from 'node:net';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Splits `a, b,c` into `['a', 'b', 'c']` (empty entries dropped); anything else is left to the validators. */
function listOf(separator: string): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(separator)
          .map((entry) => entry.trim())
          .filter((entry) => entry !== '')
      : value,
  );
}

/** A comma-separated list variable, read as an array. */
export const CommaList = (): PropertyDecorator => listOf(',');

/** A `;`-separated list variable (for entries that hold commas themselves, such as certificate subjects). */
export const SemicolonList = (): PropertyDecorator => listOf(';');

/**
 * IPv4 or IPv6 CIDRs (`10.0.0.0/8`, `::1/128`) or bare addresses, as the library's
 * `tokenization.auth.trustedProxies` accepts them; the message names the variable, never the value.
 */
export function IsCidrList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCidrList',
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.every((entry) => typeof entry === 'string' && isCidr(entry)),
        defaultMessage: (args) => `${args?.property} must hold IPv4 or IPv6 CIDRs such as 10.0.0.0/8 or ::1/128`,
      },
    },
    options,
  );
}

function isCidr(text: string): boolean {
  const [address = '', prefix, extra] = text.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** `redis://` or `rediss://` URLs with a host; the message names the variable, never the value (it may hold a password). */
export function IsRedisUrlList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRedisUrlList',
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.every((entry) => typeof entry === 'string' && isRedisUrl(entry)),
        defaultMessage: (args) => `${args?.property} must hold redis:// or rediss:// URLs such as redis://10.0.0.1:6379`,
      },
    },
    options,
  );
}

/** `host:port` entries (a name, IPv4, or `[IPv6]`, and a TCP port). */
export function IsHostPortList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHostPortList',
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.every((entry) => typeof entry === 'string' && hostPortOf(entry) !== undefined),
        defaultMessage: (args) => `${args?.property} must hold host:port entries such as sentinel-0:26379`,
      },
    },
    options,
  );
}

/**
 * Host names (`console.dev.example`): dot-separated labels of letters, digits, hyphens and
 * underscores, no port, no scheme, no wildcard; the message names the variable, never the value.
 */
export function IsHostNameList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHostNameList',
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.every((entry) => typeof entry === 'string' && isHostName(entry)),
        defaultMessage: (args) => `${args?.property} must hold host names such as console.dev.example (no scheme, port, path or wildcard)`,
      },
    },
    options,
  );
}

function isHostName(text: string): boolean {
  return text.length <= 253 && /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9_-]{1,63}(?<!-))*$/.test(text);
}

/** `host:port` as ioredis takes it, or undefined when the text is not one. */
export function hostPortOf(text: string): { host: string; port: number } | undefined {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}

function isRedisUrl(text: string): boolean {
  if (!/^rediss?:\/\//.test(text) || !URL.canParse(text)) return false;
  const url = new URL(text);
  // ioredis percent-decodes the user and password: a broken escape (`%ZZ`) would stop the boot there,
  // unnamed. It reads the path as the database number: `/abc` became `SELECT NaN` after the app listened.
  // ioredis also reads `?db=` (and its other options) from the query.
  const db = url.searchParams.get('db');
  return url.hostname !== '' && decodes(url.username) && decodes(url.password) && /^(\/\d{0,5})?$/.test(url.pathname) && (db === null || /^\d{1,5}$/.test(db));
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** One redis:// or rediss:// URL with a host, whose user and password percent-decode, and at most a database number as its path. */
export function IsRedisUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRedisUrl',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isRedisUrl(value),
        defaultMessage: (args) => `${args?.property} must be a redis:// or rediss:// URL such as redis://:password@redis.internal:6379/0 (a password with % escaped as %25, a database number as the path)`,
      },
    },
    options,
  );
}
