import { secondsUntil } from './otp-expiry.js';

describe('secondsUntil', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads ISO 8601, epoch seconds and epoch milliseconds', () => {
    expect(secondsUntil('2026-01-01T00:05:00Z', 300, now)).toBe(300);
    expect(secondsUntil(String(now / 1000 + 120), 300, now)).toBe(120);
    expect(secondsUntil(String(now + 90_000), 300, now)).toBe(90);
  });
  it('falls back for absent, unreadable or past dates, and caps at one hour', () => {
    expect(secondsUntil(undefined, 300, now)).toBe(300);
    expect(secondsUntil('soon', 300, now)).toBe(300);
    expect(secondsUntil('2025-12-31T23:00:00Z', 300, now)).toBe(300);
    expect(secondsUntil('2026-01-02T00:00:00Z', 300, now)).toBe(3600);
  });
});
