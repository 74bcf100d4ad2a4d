import { compileOtpValuePattern, DEFAULT_OTP_VALUE_PATTERN } from './otp-value-pattern.js';

describe('compileOtpValuePattern', () => {
  it('keeps the default: digits only, 4 to 10', () => {
    const pattern = compileOtpValuePattern(DEFAULT_OTP_VALUE_PATTERN)!;
    expect(['1234', '012345', '00098765', '1234567890'].filter((code) => pattern.test(code))).toHaveLength(4);
    expect(['123', '12345678901', 'AB123456', '12 34', '１２３４５６', '123456\n'].filter((code) => pattern.test(code))).toEqual([]);
  });

  it('anchors a string source and a RegExp so the whole value must match', () => {
    expect(compileOtpValuePattern('[A-Z0-9]{6}')!.test('AB12CD')).toBe(true);
    expect(compileOtpValuePattern('[A-Z0-9]{6}')!.test('xxAB12CDxx')).toBe(false);
    expect(compileOtpValuePattern(/\d{6}/)!.test('123456789')).toBe(false);
    expect(compileOtpValuePattern(/[a-z]{6}/i)!.test('AbCdEf')).toBe(true);
  });

  it('drops the stateful flags, so the same code gets the same answer every time', () => {
    const pattern = compileOtpValuePattern(/\d{6}/gy)!;
    expect([pattern.test('123456'), pattern.test('123456'), pattern.test('123456')]).toEqual([true, true, true]);
  });

  it('drops the multiline flag, so a second line cannot ride along', () => {
    expect(compileOtpValuePattern(/^\d{6}$/m)!.test('123456\nhttps://phish.example')).toBe(false);
  });

  it('refuses a pattern that does not compile or that matches the empty string', () => {
    expect(compileOtpValuePattern('[0-9')).toBeUndefined();
    expect(compileOtpValuePattern('\\d*')).toBeUndefined();
    expect(compileOtpValuePattern(/^(\d{6})?$/)).toBeUndefined();
    expect(compileOtpValuePattern('')).toBeUndefined();
  });
});
