import { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { OtpDeliveryConfigError } from '../options/otp-delivery-config.error.js';
import { validateOptions } from '../options/validate-options.js';
import { SecretValue } from '../common/secret-value.js';
import { resolveCmOptions } from '../cm/cm-options.js';
import { resolveOtpEngineOptions } from './otp-engine-options.js';
import { resolveOtpDeliveryOptions } from '../options/resolve-options.js';

const problemsOf = (raw: unknown): readonly string[] => {
  try {
    validateOptions(OtpDeliveryModuleOptions, raw);
    return [];
  } catch (error) {
    return (error as OtpDeliveryConfigError).problems;
  }
};

describe('OtpEngineOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveOtpEngineOptions(undefined);
    expect(resolved).toMatchObject({ engine: 'cm', digits: 6, expirySeconds: 300, maxAttempts: 5 });
    expect(resolved.hashKey).toBeInstanceOf(SecretValue);
    expect(resolved.hashKey.length).toBeGreaterThanOrEqual(32);
    expect(resolveOtpEngineOptions(undefined).hashKey.reveal()).not.toBe(resolved.hashKey.reveal());
  });

  it('keeps a configured hash key', () => {
    expect(resolveOtpEngineOptions({ hashKey: 'k' }).hashKey.reveal()).toBe('k');
  });

  it.each([
    [{ engine: 'remote' }, "otp.engine must be 'cm' or 'local'"],
    [{ digits: 3 }, 'otp.digits must be at least 4'],
    [{ engine: 'local', digits: 5 }, 'otp.digits must be at least 6 with the local engine'],
    [{ engine: 'local', expirySeconds: 900 }, 'otp.expirySeconds must be at most 600 with the local engine'],
    [{ expirySeconds: 3601 }, 'otp.expirySeconds must be at most 3600'],
    [{ maxAttempts: 0 }, 'otp.maxAttempts must be at least 1'],
  ])('refuses %j at boot', (otp, problem) => {
    expect(problemsOf({ otp })).toContain(problem);
  });

  it('requires hashKey with the local engine on the Redis store, where a key per process would split the codes per replica', () => {
    const required = "otp.hashKey is required with otp.engine 'local' and store.type 'redis': every replica must hash codes with the same key";
    expect(() => resolveOtpDeliveryOptions({ otp: { engine: 'local' }, store: { type: 'redis' } })).toThrow(required);
    expect(() => resolveOtpDeliveryOptions({ otp: { engine: 'local', hashKey: 'k'.repeat(32) }, store: { type: 'redis' } })).not.toThrow();
    // One process: the random key is fine.
    expect(() => resolveOtpDeliveryOptions({ otp: { engine: 'local' } })).not.toThrow();
  });

  it('accepts CM-only values with the cm engine', () => {
    expect(problemsOf({ otp: { engine: 'cm', digits: 5, expirySeconds: 900 } })).toEqual([]);
  });
});

describe('resolveCmOptions', () => {
  it('applies the documented defaults and boots without a token', () => {
    expect(resolveCmOptions(undefined)).toEqual({
      productToken: undefined,
      otpApiVersion: 'v1',
      otpBaseUrl: 'https://api.cm.com',
      messagingBaseUrl: 'https://gw.messaging.cm.com',
      sender: 'OTP',
      defaultRegion: undefined,
      maxMessageParts: 8,
      connectTimeoutMs: 2000,
      requestTimeoutMs: 5000,
      connections: 16,
      tokenInBody: false,
    });
  });

  it('wraps the token so it cannot print', () => {
    const resolved = resolveCmOptions({ productToken: '00000000-0000-0000-0000-000000000001' });
    expect(String(resolved.productToken)).toBe('[redacted]');
    expect(JSON.stringify(resolved)).not.toContain('00000000-0000-0000-0000-000000000001');
    expect(resolved.productToken!.reveal()).toBe('00000000-0000-0000-0000-000000000001');
  });
});
