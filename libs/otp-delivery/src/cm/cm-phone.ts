import { InvalidPhoneNumberError, isMobile, isParsedNumber, normalizePhoneNumber, type NormalizedPhoneNumber } from '../common/phone-number.js';
import type { ResolvedCmOptions } from './cm-options.js';
import { CmValidationError } from './cm.error.js';

/**
 * Parses a mobile number for CM, turning the parser's error into the CM validation error. A number
 * parsed already (`normalizePhoneNumber`, as the send path hands it over) is only checked for being
 * a mobile, not parsed again.
 */
export function cmMobileNumber(input: unknown, field: string, options: ResolvedCmOptions): NormalizedPhoneNumber {
  if (isParsedNumber(input)) {
    if (!isMobile(input)) throw new CmValidationError(field, `must be a mobile number (found ${input.type ?? 'unknown type'})`);
    return input;
  }
  if (typeof input !== 'string') throw new CmValidationError(field, 'must be a phone number');
  try {
    return normalizePhoneNumber(input, { defaultRegion: options.defaultRegion, field, requireMobile: true });
  } catch (error) {
    if (error instanceof InvalidPhoneNumberError) throw new CmValidationError(field, error.reason);
    throw error;
  }
}
