import { ValidateBy, type ValidationOptions } from 'class-validator';
import { libphonenumber } from '../common/libphonenumber.js';

/**
 * A region code phone numbers are read with: two capitals that libphonenumber-js has metadata for.
 * The pattern alone let `ZZ` or `QQ` boot, and a number read with such a region never parses.
 */
export function IsRegion(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isRegion', validator: { validate: (value) => typeof value === 'string' && /^[A-Z]{2}$/.test(value) && libphonenumber.isSupportedCountry(value) } },
    options,
  );
}
