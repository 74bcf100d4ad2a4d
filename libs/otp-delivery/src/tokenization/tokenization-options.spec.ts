import { validateOptions } from '../options/validate-options.js';
import { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { OtpDeliveryConfigError } from '../options/otp-delivery-config.error.js';
import { SecretValue } from '../common/secret-value.js';
import { resolveTokenizationOptions } from './tokenization-options.resolver.js';

describe('tokenization options', () => {
  it('names every bad key, never a value', () => {
    try {
      validateOptions(OtpDeliveryModuleOptions, {
        tokenization: {
          issuerId: 'TOO-SHORT',
          idempotencyWindowSeconds: 0,
          idvMethodTypes: { sms: '' },
          auth: { mode: 'basic', certificateHeader: 'X Client Cert' },
          otpExpirySeconds: 5,
          otpValuePattern: '(?<code>[0-9]{6}',
          minRemainingValiditySeconds: 30,
        },
      });
      throw new Error('expected OtpDeliveryConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(OtpDeliveryConfigError);
      const problems = (error as OtpDeliveryConfigError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          'tokenization.issuerId must be exactly 10 characters',
          expect.stringMatching(/^tokenization\.idempotencyWindowSeconds /),
          'tokenization.idvMethodTypes.sms must be 1 to 64 characters',
          'tokenization.auth.mode must be one of mtls, trusted-proxy, none',
          'tokenization.auth.certificateHeader must be a lowercase header name',
          expect.stringMatching(/^tokenization\.otpExpirySeconds /),
          'tokenization.otpValuePattern must be a RegExp or pattern that compiles and does not match an empty value',
          expect.stringMatching(/^tokenization\.minRemainingValiditySeconds /),
        ]),
      );
      expect(problems.join('\n')).not.toContain('TOO-SHORT');
      expect(problems.join('\n')).not.toContain('(?<code>');
    }
  });

  it('applies the defaults', () => {
    const resolved = resolveTokenizationOptions(validateOptions(OtpDeliveryModuleOptions, {}));
    expect(resolved).toMatchObject({
      idempotencyWindowMs: 600_000,
      idvMethodTypes: { sms: 'otpBySMS', email: 'otpByEmail' },
      methodIdSecretIsRandom: true,
      auth: { mode: 'mtls', certificateHeader: 'x-client-cert', verifyHeader: 'x-client-verify' },
      otpExpirySeconds: 300,
      otpValuePattern: /^(?:^\d{4,10}$)$/,
      minRemainingValiditySeconds: 60,
    });
    expect(resolved.statusReportSecret).toBeUndefined();
    expect(resolved.methodIdSecret.reveal()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps secrets as SecretValues that never print', () => {
    const secret = new SecretValue('status-report-secret-0001');
    const options = validateOptions(OtpDeliveryModuleOptions, { tokenization: { statusReportSecret: secret, methodIdSecret: 'method-key' } });
    const resolved = resolveTokenizationOptions(options);
    expect(resolved.statusReportSecret).toBe(secret);
    expect(resolved.methodIdSecret.reveal()).toBe('method-key');
    expect(JSON.stringify(resolved)).not.toMatch(/status-report-secret-0001|method-key/);
  });

  it('stops the boot for an otpValuePattern that accepts an empty code or is no pattern at all', () => {
    for (const otpValuePattern of [/^\d*$/, '.*', 42, { source: '\\d+' }]) {
      expect(() => validateOptions(OtpDeliveryModuleOptions, { tokenization: { otpValuePattern } })).toThrow(/tokenization\.otpValuePattern must be/);
    }
  });

  it('takes a RegExp or its source, anchored, without stateful flags', () => {
    const fromRegExp = resolveTokenizationOptions(validateOptions(OtpDeliveryModuleOptions, { tokenization: { otpValuePattern: /[A-Z0-9]{6}/gi } }));
    expect([fromRegExp.otpValuePattern.test('ab12cd'), fromRegExp.otpValuePattern.test('ab12cd'), fromRegExp.otpValuePattern.test('ab12cd9')]).toEqual([true, true, false]);
    const fromSource = resolveTokenizationOptions(validateOptions(OtpDeliveryModuleOptions, { tokenization: { otpValuePattern: '[0-9]{8}' } }));
    expect([fromSource.otpValuePattern.test('12345678'), fromSource.otpValuePattern.test('123456789')]).toEqual([true, false]);
  });
});
