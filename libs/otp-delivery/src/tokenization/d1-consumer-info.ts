import type { CountryCode } from 'libphonenumber-js/max';
import { libphonenumber } from '../common/libphonenumber.js';
import { normalizePhoneNumber } from '../common/phone-number.js';
import { normalizeEmailAddress } from '../common/email-address.js';
import type { CardholderContact } from './cardholder-contact-resolver.interface.js';

/**
 * D1 Get Consumer Information answer. D1's schema names it `consumerInfo`; the 200 body is the
 * object itself. Fields beyond `language` are **unconfirmed**.
 */
export interface D1ConsumerInfo {
  /** `en-US` form: lowercase language, uppercase country. */
  readonly language?: string;
  readonly firstName?: string;
  readonly middleName?: string;
  readonly lastName?: string;
  readonly email?: string;
  /** `countryCode` is the calling code without `+` (`81`), `phoneNumber` the national number. */
  readonly mobilePhoneNumber?: { readonly countryCode: string; readonly phoneNumber: string };
}

/** Maps the issuer's contact onto D1's `consumerInfo`, leaving out what is unknown or unusable. */
export function toD1ConsumerInfo(contact: CardholderContact, defaultRegion?: string): D1ConsumerInfo {
  const info: Record<string, unknown> = {
    language: toLanguage(contact.locale),
    firstName: contact.firstName,
    middleName: contact.middleName,
    lastName: contact.lastName,
    // As the phone: an address no email could be sent to is left out, not handed on as written.
    email: normalizeEmailAddress(contact.email) ? contact.email!.trim() : undefined,
    mobilePhoneNumber: toMobile(contact.phoneNumber, defaultRegion),
  };
  return Object.fromEntries(Object.entries(info).filter(([, value]) => value !== undefined && value !== '')) as D1ConsumerInfo;
}

function toLanguage(locale: string | undefined): string | undefined {
  const match = /^([a-zA-Z]{2})[-_]([a-zA-Z]{2})$/.exec(locale ?? '');
  return match ? `${match[1]!.toLowerCase()}-${match[2]!.toUpperCase()}` : undefined;
}

function toMobile(phoneNumber: string | undefined, defaultRegion: string | undefined): D1ConsumerInfo['mobilePhoneNumber'] {
  if (!phoneNumber) return undefined;
  try {
    const { e164 } = normalizePhoneNumber(phoneNumber, { defaultRegion: defaultRegion as CountryCode | undefined, requireMobile: false });
    // Only splits the already validated E.164 number into calling code and national number.
    const parsed = libphonenumber.parsePhoneNumberWithError(e164);
    return { countryCode: parsed.countryCallingCode, phoneNumber: parsed.nationalNumber };
  } catch {
    return undefined;
  }
}
