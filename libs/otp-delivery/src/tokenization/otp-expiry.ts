/**
 * Seconds until an OTP expires, from a callback's `expirationDate` (format **unconfirmed**:
 * ISO 8601, or epoch seconds / milliseconds). Unusable, past or absent values give `fallback`;
 * the result never exceeds one hour.
 */
export function secondsUntil(expirationDate: string | undefined, fallback: number, now = Date.now()): number {
  if (!expirationDate) return fallback;
  const trimmed = expirationDate.trim();
  let at: number;
  if (/^\d+$/.test(trimmed)) at = trimmed.length >= 13 ? Number(trimmed) : Number(trimmed) * 1000;
  else at = Date.parse(trimmed);
  if (!Number.isFinite(at)) return fallback;
  const seconds = Math.round((at - now) / 1000);
  if (seconds <= 0) return fallback;
  return Math.min(seconds, 3600);
}
