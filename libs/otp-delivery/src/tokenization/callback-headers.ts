import { CallbackValidationError } from './errors/callback-validation.error.js';

/** Request headers as Node gives them (lower-case names). */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

type Headers = IncomingHeaders;

const CLASSIC_CORRELATION_ID = /^[\x21-\x7e]{1,64}$/;
const D1_CORRELATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Classic `x-correlation-id`: required, 1 to 64 printable characters. */
export function classicCorrelationId(headers: Headers): string {
  const value = single(headers, 'x-correlation-id');
  if (value === undefined || value === '') throw new CallbackValidationError('x-correlation-id', 'missing');
  if (!CLASSIC_CORRELATION_ID.test(value)) throw new CallbackValidationError('x-correlation-id', 'format');
  return value;
}

/** D1 `x-correlation-id`: optional, `^[A-Za-z0-9_-]{1,64}$`. */
export function d1CorrelationId(headers: Headers): string | undefined {
  const value = single(headers, 'x-correlation-id');
  if (value === undefined || value === '') return undefined;
  if (!D1_CORRELATION_ID.test(value)) throw new CallbackValidationError('x-correlation-id', 'format');
  return value;
}

/** A header that must appear once; a repeated header is a format error. */
export function single(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  if (Array.isArray(value)) throw new CallbackValidationError(name, 'format');
  return value;
}
