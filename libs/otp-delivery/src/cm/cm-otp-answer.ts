import type { CmHttpResponse } from './cm-http.client.js';

/** Reads a field that CM may send as a number or a numeric string. */
export function readNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** A date and time as CM writes them: `2015-01-01T13:00:00`, seconds' fractions and an offset optional. */
const CM_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * CM's OTP time `2015-01-01T13:00:00+0000` (no colon in the offset) or ISO 8601. A time without an
 * offset is read as UTC, not in the server's time zone; anything else (`"1"`, a bare date) is no time.
 */
export function readCmTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = CM_TIME.exec(value.trim());
  if (!match) return undefined;
  const iso = match[1] === undefined ? `${value.trim()}Z` : value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The error code and text of an OTP answer. v2's envelope is undocumented, so the usual places
 * are tried in turn: `errorCode`, `code`, `error.code`, `errors[0].code`, and `message`,
 * `error.message`, `detail`, `title`; then the raw text.
 */
export function readOtpError(response: CmHttpResponse): { code?: number; message?: string } {
  const body = response.json as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null) return { message: response.text || undefined };
  const error = typeof body.error === 'object' && body.error !== null ? (body.error as Record<string, unknown>) : undefined;
  const first = Array.isArray(body.errors) && typeof body.errors[0] === 'object' ? (body.errors[0] as Record<string, unknown>) : undefined;
  const code = readNumber(body.errorCode) ?? readNumber(body.code) ?? readNumber(error?.code) ?? readNumber(first?.code);
  const candidates = [body.message, error?.message, first?.message, body.detail, body.title];
  const message = candidates.find((candidate): candidate is string => typeof candidate === 'string' && candidate !== '');
  return { code, message };
}
