import { CallbackValidationError } from './errors/callback-validation.error.js';
import { isRepeatedHeader, type RequestHeaders } from './header-lines.js';

/** Request headers as Node gives them (lower-case names). */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

const CLASSIC_CORRELATION_ID = /^[\x21-\x7e]{1,64}$/;
const D1_CORRELATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Classic `x-correlation-id`: required, 1 to 64 printable characters. */
export function classicCorrelationId(request: RequestHeaders): string {
  const value = single(request, 'x-correlation-id');
  if (value === undefined || value === '') throw new CallbackValidationError('x-correlation-id', 'missing');
  if (!CLASSIC_CORRELATION_ID.test(value)) throw new CallbackValidationError('x-correlation-id', 'format');
  return value;
}

/** D1 `x-correlation-id`: optional, `^[A-Za-z0-9_-]{1,64}$`. */
export function d1CorrelationId(request: RequestHeaders): string | undefined {
  const value = single(request, 'x-correlation-id');
  if (value === undefined || value === '') return undefined;
  if (!D1_CORRELATION_ID.test(value)) throw new CallbackValidationError('x-correlation-id', 'format');
  return value;
}

/** A header that must appear once: on two lines (which Node joins into `a, b`) it is a format error. */
export function single(request: RequestHeaders, name: string): string | undefined {
  if (isRepeatedHeader(request, name)) throw new CallbackValidationError(name, 'format');
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
