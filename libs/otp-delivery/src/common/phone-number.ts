import type { CountryCode, NumberType } from 'libphonenumber-js/max';
import { libphonenumber } from './libphonenumber.js';

/** A phone number that could not be parsed, or is not a number an SMS can reach. */
export class InvalidPhoneNumberError extends Error {
  override readonly name = 'InvalidPhoneNumberError';

  constructor(
    /** The input field that held the number, e.g. `recipient`. */
    readonly field: string,
    /** Why it was refused, without the number itself. */
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
  }
}

/** A phone number in every format the integrations need. */
export interface NormalizedPhoneNumber {
  /** `+819012345678`: OTP API v2 and most other APIs. */
  readonly e164: string;
  /** `00819012345678`: OTP API v1 and Business Messaging (`00` + country code, no `+`). */
  readonly international00: string;
  /** ISO 3166 alpha-2 country, e.g. `JP`; undefined for non-geographic numbers. */
  readonly country?: CountryCode;
  /** libphonenumber's number type: `MOBILE`, `FIXED_LINE_OR_MOBILE`, `PREMIUM_RATE`, ... */
  readonly type?: NumberType;
}

export interface NormalizePhoneOptions {
  /** Region assumed for national numbers such as `090-1234-5678`. */
  defaultRegion?: CountryCode;
  /** The input field name used in error messages. @default 'phoneNumber' */
  field?: string;
  /** Refuse numbers that are not mobile (fixed line, premium rate, ...). @default true */
  requireMobile?: boolean;
}

const MOBILE_TYPES = new Set<NumberType>(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/** Numbers this module parsed: a plain object claiming to be one is parsed again. */
const PARSED = new WeakSet<NormalizedPhoneNumber>();

/** Whether `value` is a number `normalizePhoneNumber` answered (parsed once, handed along a send). */
export function isParsedNumber(value: unknown): value is NormalizedPhoneNumber {
  return typeof value === 'object' && value !== null && PARSED.has(value as NormalizedPhoneNumber);
}

/** Whether a parsed number can receive an SMS (`MOBILE`, or `FIXED_LINE_OR_MOBILE` as every US number is). */
export function isMobile(phone: NormalizedPhoneNumber): boolean {
  return phone.type !== undefined && MOBILE_TYPES.has(phone.type);
}

/**
 * Parses and normalises a phone number with `libphonenumber-js` (full metadata, so number types
 * are known). Accepts `+81 90-1234-5678`, `0081 90...`, and `090...` with a default region.
 * Error messages never contain the number. A full-metadata parse costs ~13 us: parse a number once
 * per send and hand the answer along (the send path does), rather than parsing it again.
 */
export function normalizePhoneNumber(input: string, options: NormalizePhoneOptions = {}): NormalizedPhoneNumber {
  const field = options.field ?? 'phoneNumber';
  const trimmed = typeof input === 'string' ? input.trim() : '';
  if (!trimmed) throw new InvalidPhoneNumberError(field, 'must be a phone number');
  // `00` is the international call prefix CM uses; libphonenumber only understands it with a region.
  const candidate = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  let parsed;
  try {
    parsed = libphonenumber.parsePhoneNumberWithError(candidate, options.defaultRegion);
  } catch {
    throw new InvalidPhoneNumberError(field, 'is not a parseable phone number');
  }
  // A number with a type is valid (libphonenumber's isValid() is "has a type" wherever its metadata
  // has types): the type is worked out once, and isValid() asked only when there is none.
  const type = parsed.getType();
  if (type === undefined && !parsed.isValid()) throw new InvalidPhoneNumberError(field, 'is not a valid phone number');
  const phone: NormalizedPhoneNumber = Object.freeze({
    e164: parsed.number,
    international00: `00${parsed.number.slice(1)}`,
    country: parsed.country,
    type,
  });
  PARSED.add(phone);
  if ((options.requireMobile ?? true) && !isMobile(phone)) {
    throw new InvalidPhoneNumberError(field, `must be a mobile number (found ${phone.type ?? 'unknown type'})`);
  }
  return phone;
}
