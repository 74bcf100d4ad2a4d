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
    const resolved = resolveTokenizationOptions(validateOptions(OtpDeliveryModuleOptions, {}).tokenization);
    expect(resolved).toMatchObject({
      idempotencyWindowMs: 600_000,
      idvMethodTypes: { sms: 'otpBySMS', email: 'otpByEmail' },
      methodIdSecretIsRandom: true,
      auth: { mode: 'mtls', certificateHeader: 'x-client-cert', verifyHeader: 'x-client-verify', proxySecretHeader: 'x-proxy-secret' },
      otpExpirySeconds: 300,
      otpValuePattern: /^(?:^\d{4,10}$)$/,
      minRemainingValiditySeconds: 60,
    });
    expect(resolved.statusReportSecret).toBeUndefined();
    // The lease: the default delivery deadline (5 s) plus a 2 s margin.
    expect(resolved.idempotencyLeaseMs).toBe(7_000);
    expect(resolved.auth).toMatchObject({ trustedProxies: undefined, proxySecret: undefined, allowedSubjects: undefined, allowedFingerprints: undefined });
  });

  it('keeps secrets as SecretValues that never print', () => {
    const secret = new SecretValue('status-report-secret-0001');
    const proxySecret = 'proxy-secret-0123456789abcdef-0123456789';
    const options = validateOptions(OtpDeliveryModuleOptions, {
      tokenization: { statusReportSecret: secret, methodIdSecret: 'method-key-of-at-least-32-characters', auth: { mode: 'trusted-proxy', proxySecret } },
    });
    const resolved = resolveTokenizationOptions(options.tokenization);
    expect(resolved.statusReportSecret).toBe(secret);
    expect(resolved.methodIdSecretIsRandom).toBe(false);
    expect(resolved.auth.proxySecret?.reveal()).toBe(proxySecret);
    expect(JSON.stringify(resolved)).not.toMatch(/status-report-secret-0001|method-key-of|proxy-secret-0123/);
  });

  describe('caller authentication', () => {
    const problemsOf = (auth: Record<string, unknown>): readonly string[] => {
      try {
        validateOptions(OtpDeliveryModuleOptions, { tokenization: { auth } });
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(OtpDeliveryConfigError);
        return (error as OtpDeliveryConfigError).problems;
      }
    };

    it('refuses trusted-proxy mode with neither trustedProxies nor proxySecret, naming both keys', () => {
      expect(problemsOf({ mode: 'trusted-proxy' })).toEqual([
        'tokenization.auth.mode trusted-proxy needs tokenization.auth.trustedProxies (the addresses the ingress connects from) or ' +
          'tokenization.auth.proxySecret (a header only the ingress sets), or both: without them anyone who reaches the app can forge the certificate headers',
      ]);
    });

    it('accepts trusted-proxy mode with either anchor, or both', () => {
      const secret = new SecretValue('0123456789abcdef0123456789abcdef');
      expect(problemsOf({ mode: 'trusted-proxy', trustedProxies: ['10.0.0.0/8', '::1/128'] })).toEqual([]);
      expect(problemsOf({ mode: 'trusted-proxy', proxySecret: secret })).toEqual([]);
      expect(problemsOf({ mode: 'trusted-proxy', trustedProxies: ['127.0.0.1'], proxySecret: secret, proxySecretHeader: 'x-ingress-auth' })).toEqual([]);
      // The other modes need neither.
      expect(problemsOf({ mode: 'mtls', allowedSubjects: ['CN=tsh-client'] })).toEqual([]);
      expect(problemsOf({ mode: 'mtls', allowedSubjects: ['C=FR, O=Thales, CN=tsh-client', '2.5.4.97=VATFR-123, CN=x'] })).toEqual([]);
      // As Node prints them: an escaped comma, a multi-valued RDN, an = in a value.
      expect(problemsOf({ mode: 'mtls', allowedSubjects: ['C=FR, O=Thales\\, Inc., CN=tsh-client', 'UID=42 + CN=tsh-client, O=Thales', 'CN=a=b'] })).toEqual([]);
    });

    it.each([['tsh-client'], ['CN = tsh-client'], ['/C=FR/O=Thales/CN=tsh-client'], ['CN=tsh-client,CN=backup-client'], ['C=FR,O=Thales'], ['CN=']])(
      'refuses the allowedSubjects entry %j, which no certificate could match',
      (entry) => {
        expect(problemsOf({ mode: 'mtls', allowedSubjects: ['CN=tsh-client', entry] })).toEqual([
          'tokenization.auth.allowedSubjects entries must read CN=<name>, or a whole subject as C=FR, O=Thales, CN=<name> (NAME=value parts joined by a comma and a space)',
        ]);
      },
    );

    it('names each bad caller-authentication key, never its value', () => {
      const problems = problemsOf({
        mode: 'trusted-proxy',
        trustedProxies: ['10.0.0.0/8', '10.0.0.0/33'],
        proxySecret: 'too-short-secret',
        proxySecretHeader: 'X Proxy',
        allowedSubjects: [],
        allowedFingerprints: ['AB:CD', 'ab'.repeat(32)],
      });
      expect(problems).toEqual([
        'tokenization.auth.trustedProxies must hold IPv4 or IPv6 CIDRs such as 10.0.0.0/8 or ::1/128',
        'tokenization.auth.proxySecretHeader must be a lowercase header name',
        'tokenization.auth.proxySecret must be a string or SecretValue of at least 32 characters',
        'tokenization.auth.allowedSubjects must not be empty (leave it unset to allow any subject)',
        'tokenization.auth.allowedFingerprints must hold SHA-256 fingerprints (64 hex digits, colons allowed)',
      ]);
      expect(problems.join('\n')).not.toMatch(/10\.0\.0\.0\/33|too-short-secret|AB:CD/);
      expect(problemsOf({ mode: 'trusted-proxy', proxySecret: new SecretValue('short') })).toEqual([
        'tokenization.auth.proxySecret must be a string or SecretValue of at least 32 characters',
      ]);
      expect(problemsOf({ mode: 'trusted-proxy', trustedProxies: [] })).toEqual([
        'tokenization.auth.trustedProxies must not be empty (leave it unset to rely on proxySecret)',
      ]);
    });
  });

  it('stops the boot for an otpValuePattern that accepts an empty code or is no pattern at all', () => {
    for (const otpValuePattern of [/^\d*$/, '.*', 42, { source: '\\d+' }]) {
      expect(() => validateOptions(OtpDeliveryModuleOptions, { tokenization: { otpValuePattern } })).toThrow(/tokenization\.otpValuePattern must be/);
    }
  });

  it('takes a RegExp or its source, anchored, without stateful flags', () => {
    const fromRegExp = resolveTokenizationOptions(validateOptions(OtpDeliveryModuleOptions, { tokenization: { otpValuePattern: /[A-Z0-9]{6}/gi } }).tokenization);
    expect([fromRegExp.otpValuePattern.test('ab12cd'), fromRegExp.otpValuePattern.test('ab12cd'), fromRegExp.otpValuePattern.test('ab12cd9')]).toEqual([true, true, false]);
    const fromSource = resolveTokenizationOptions(validateOptions(OtpDeliveryModuleOptions, { tokenization: { otpValuePattern: '[0-9]{8}' } }).tokenization);
    expect([fromSource.otpValuePattern.test('12345678'), fromSource.otpValuePattern.test('123456789')]).toEqual([true, false]);
  });
});
