import { assertOtpStillValid, expiryInstant, secondsUntil } from './otp-expiry.js';
import { ExpiredOtpError } from './errors/expired-otp.error.js';

describe('otp expiry', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  describe('expiryInstant', () => {
    it('reads ISO 8601 date and time (zone-less as UTC), epoch seconds and epoch milliseconds', () => {
      expect(expiryInstant('2026-01-01T00:05:00Z')).toBe(now + 300_000);
      expect(expiryInstant('2026-01-01T09:05:00+09:00')).toBe(now + 300_000);
      expect(expiryInstant('2026-01-01 00:05:00.250')).toBe(now + 300_250);
      expect(expiryInstant(String(now / 1000 + 120))).toBe(now + 120_000);
      expect(expiryInstant(now / 1000 + 120)).toBe(now + 120_000);
      expect(expiryInstant(String(now + 90_000))).toBe(now + 90_000);
    });

    it('does not guess: date-only values, other digit counts and loose text are unreadable', () => {
      for (const value of ['2026-01-01', '20260101000500', '2026', '12345678901', '1 2', 'soon', '2026-13-45T99:99:99Z', '', undefined]) {
        expect(expiryInstant(value)).toBeUndefined();
      }
    });
  });

  describe('secondsUntil', () => {
    it('announces what is left, rounded down, capped at one hour', () => {
      expect(secondsUntil('2026-01-01T00:05:00Z', 300, now)).toBe(300);
      expect(secondsUntil(String(now + 90_999), 300, now)).toBe(90);
      expect(secondsUntil('2026-01-02T00:00:00Z', 300, now)).toBe(3600);
    });

    it('never announces more than is left: 0 once past, where the old code announced the fallback', () => {
      expect(secondsUntil('2025-12-31T23:00:00Z', 300, now)).toBe(0);
    });

    it('announces the fallback for an absent or unreadable date, and never more', () => {
      expect(secondsUntil(undefined, 300, now)).toBe(300);
      expect(secondsUntil('soon', 300, now)).toBe(300);
      // Read as epoch milliseconds by the old code: year 2611, an hour announced.
      expect(secondsUntil('20261122063000', 300, now)).toBe(300);
    });
  });

  describe('assertOtpStillValid', () => {
    const policy = { minRemainingValiditySeconds: 60 };

    it('refuses a code past its expiry or with less than the minimum left', () => {
      expect(() => assertOtpStillValid('2025-12-31T23:59:59Z', policy, now)).toThrow(ExpiredOtpError);
      expect(() => assertOtpStillValid(String(now + 59_999), policy, now)).toThrow(ExpiredOtpError);
      expect(() => assertOtpStillValid(String(now + 59_999), policy, now)).toThrow('The OTP has expired');
    });

    it('lets through a code with the minimum left, or without a readable date', () => {
      expect(() => assertOtpStillValid(String(now + 60_000), policy, now)).not.toThrow();
      expect(() => assertOtpStillValid(undefined, policy, now)).not.toThrow();
      expect(() => assertOtpStillValid('soon', policy, now)).not.toThrow();
    });
  });
});
