import fc from 'fast-check';
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { InvalidPhoneNumberError, isMobile, isParsedNumber, normalizePhoneNumber } from './phone-number.js';

describe('normalizePhoneNumber', () => {
  it('accepts the international, 00 and national formats of one number', () => {
    for (const input of ['+81 90-1234-5678', '0081 90 1234 5678', '+819012345678']) {
      expect(normalizePhoneNumber(input)).toEqual({ e164: '+819012345678', international00: '00819012345678', country: 'JP', type: 'MOBILE' });
    }
    expect(normalizePhoneNumber('090-1234-5678', { defaultRegion: 'JP' }).e164).toBe('+819012345678');
  });

  it('reads a national number in the region it is given, also when it was parsed before for another region', () => {
    expect(normalizePhoneNumber('07400 123456', { defaultRegion: 'GB' }).e164).toBe('+447400123456');
    expect(() => normalizePhoneNumber('07400 123456', { defaultRegion: 'JP' })).toThrow(InvalidPhoneNumberError);
    expect(() => normalizePhoneNumber('07400 123456')).toThrow('phoneNumber is not a parseable phone number');
    expect(normalizePhoneNumber('07400 123456', { defaultRegion: 'GB' }).country).toBe('GB');
  });

  it('applies requireMobile to a number it has parsed before', () => {
    const fixedLine = '+81 3-1234-5678';
    expect(normalizePhoneNumber(fixedLine, { requireMobile: false }).type).toBe('FIXED_LINE');
    expect(() => normalizePhoneNumber(fixedLine)).toThrow('phoneNumber must be a mobile number (found FIXED_LINE)');
    expect(() => normalizePhoneNumber('+81312345678', { field: 'recipient' })).toThrow('recipient must be a mobile number (found FIXED_LINE)');
  });

  it('refuses empty and invalid input naming the field, never the number', () => {
    expect(() => normalizePhoneNumber('  ', { field: 'recipient' })).toThrow('recipient must be a phone number');
    const error = (() => {
      try {
        normalizePhoneNumber('+81 12', { field: 'recipient' });
      } catch (caught) {
        return caught as InvalidPhoneNumberError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidPhoneNumberError);
    expect(error?.field).toBe('recipient');
    expect(error?.message).not.toContain('12');
  });

  it('marks what it parsed, so a send hands the number along instead of parsing it again; a lookalike is not taken', () => {
    const phone = normalizePhoneNumber('+44 7400 123456');
    expect(isParsedNumber(phone)).toBe(true);
    expect(isParsedNumber({ ...phone })).toBe(false);
    expect(isParsedNumber('+447400123456')).toBe(false);
    expect(isMobile(phone)).toBe(true);
    expect(isMobile(normalizePhoneNumber('+442079460000', { requireMobile: false }))).toBe(false);
  });

  it('answers results that callers cannot change for the next caller', () => {
    const phone = normalizePhoneNumber('+44 7400 123456');
    expect(() => Object.assign(phone, { e164: '+440000000000' })).toThrow(TypeError);
    expect(normalizePhoneNumber('+447400123456').e164).toBe('+447400123456');
  });

  it('accepts exactly the numbers libphonenumber calls valid, with their type (the type is worked out once)', () => {
    let valid = 0;
    const prefixes = ['+81', '+1', '+44', '+31', '+49', '+33', '+61', '+7', '+86', '+91', '+55', '+971', '+882', '+979', '+800', '+247'];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.stringMatching(/^[0-9]{4,13}$/), (prefix, digits) => {
        const input = `${prefix}${digits}`;
        let expected: { type?: string } | 'invalid';
        try {
          const parsed = parsePhoneNumberWithError(input);
          expected = parsed.isValid() ? { type: parsed.getType() } : 'invalid';
        } catch {
          expected = 'invalid';
        }
        let actual: { type?: string } | 'invalid';
        try {
          actual = { type: normalizePhoneNumber(input, { requireMobile: false }).type };
        } catch {
          actual = 'invalid';
        }
        expect(actual).toEqual(expected);
        if (expected !== 'invalid') valid += 1;
      }),
      { numRuns: 3000 },
    );
    // Both answers are compared: valid numbers of several types come up, not only refusals.
    expect(valid).toBeGreaterThan(100);
  });
});

