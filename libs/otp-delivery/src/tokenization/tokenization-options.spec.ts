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
        ]),
      );
      expect(problems.join('\n')).not.toContain('TOO-SHORT');
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
    });
    expect(resolved.statusReportSecret).toBeUndefined();
    // The lease: the default delivery deadline (5 s) plus a 2 s margin.
    expect(resolved.idempotencyLeaseMs).toBe(7_000);
  });

  it('keeps secrets as SecretValues that never print', () => {
    const secret = new SecretValue('status-report-secret-0001');
    const options = validateOptions(OtpDeliveryModuleOptions, { tokenization: { statusReportSecret: secret, methodIdSecret: 'method-key' } });
    const resolved = resolveTokenizationOptions(options);
    expect(resolved.statusReportSecret).toBe(secret);
    expect(resolved.methodIdSecretIsRandom).toBe(false);
    expect(JSON.stringify(resolved)).not.toMatch(/status-report-secret-0001|method-key/);
  });
});
