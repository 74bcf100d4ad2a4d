import { maskDestination, panLastFour } from '../common/masking.js';
import { SecretValue } from '../common/secret-value.js';

/** Shown instead of a value that must never be logged. */
export const REDACTED = '[redacted]';

/** Fields holding contact data: logged masked (`********5678`, `ta***@example.com`). */
const MASKED_FIELDS = new Set(['destination', 'phonenumber', 'phone', 'msisdn', 'email', 'emailaddress', 'to', 'recipient']);
/** Fields holding secrets or card data: never logged, whatever their shape. */
const DROPPED_FIELDS = new Set([
  'code',
  'otp',
  'otpvalue',
  'productToken'.toLowerCase(),
  'tokeninfo',
  'pan',
  'fpan',
  'dpan',
  'password',
  'secret',
  'authorization',
  'statusreportsecret',
  'text',
  'html',
  'body',
]);
/**
 * Phone numbers and PANs in free text, caught as a last line of defence (only the last four
 * digits survive): international numbers (`+81 90-1234-5678`), unbroken runs of 10 to 19 digits
 * (E.164 without `+`, `0081...`, a PAN), 13 to 19 digits with spaces or dashes (a PAN as
 * printed) and national numbers written `090-1234-5678`. Dates and
 * times (`2026-11-22 05:54`) do not match.
 */
const LONG_NUMBER = /\+\d(?:[ -]?\d){7,}|\b\d(?:[ -]?\d){12,18}\b|\b\d{10,19}\b|\b0\d{1,4}-\d{1,4}-\d{3,4}\b/g;
/** Email addresses in free text. */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const MAX_DEPTH = 5;

/**
 * Masks free text: long digit runs keep their last four digits, email addresses their first two
 * characters and domain. OTP codes are too short to recognise in text: never put one in a message.
 */
export function redactText(text: string): string {
  return text.replace(EMAIL, (email) => maskDestination(email)).replace(LONG_NUMBER, (digits) => `****${panLastFour(digits)}`);
}

/**
 * A copy of `value` safe to log: contact fields masked, secret fields replaced by `[redacted]`,
 * `SecretValue`s redacted, free text scrubbed, errors reduced to name and (scrubbed) message.
 */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof SecretValue) return REDACTED;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) out[key] = redactField(key, field, depth);
  return out;
}

function redactField(key: string, value: unknown, depth: number): unknown {
  const name = key.toLowerCase();
  if (DROPPED_FIELDS.has(name)) return value === undefined ? undefined : REDACTED;
  if (MASKED_FIELDS.has(name) && typeof value === 'string') return maskDestination(value);
  if (MASKED_FIELDS.has(name) && value !== null && value !== undefined && typeof value !== 'object') return REDACTED;
  return redactForLog(value, depth + 1);
}
