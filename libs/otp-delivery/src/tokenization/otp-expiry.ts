import { ExpiredOtpError } from './errors/expired-otp.error.js';

/** Most validity a message announces, whatever the platform says. */
const MAX_ANNOUNCED_SECONDS = 3600;

/** ISO 8601 date and time (`T` or a space between them); without a zone it is read as UTC. */
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * When a callback's code expires, in epoch milliseconds, from its `expirationDate` (format
 * **unconfirmed**): ISO 8601 date and time, epoch seconds (9 or 10 digits) or epoch milliseconds
 * (12 or 13 digits). `undefined` when absent or unreadable: a date-only value, another digit
 * count (`20261122063000` is no epoch), or anything `Date.parse` would only guess at.
 */
export function expiryInstant(expirationDate: string | number | undefined): number | undefined {
  if (expirationDate === undefined) return undefined;
  const value = String(expirationDate).trim();
  if (/^\d{9,10}$/.test(value)) return Number(value) * 1000;
  if (/^\d{12,13}$/.test(value)) return Number(value);
  const iso = ISO_DATE_TIME.exec(value);
  if (!iso) return undefined;
  const at = Date.parse(`${iso[1]}T${iso[2]}${(iso[3] ?? 'Z').toUpperCase()}`);
  return Number.isFinite(at) ? at : undefined;
}

/**
 * Seconds of validity a message announces for a callback's code: what its `expirationDate`
 * leaves, rounded down (never more than is left), at most one hour, 0 once past; `fallback`
 * when the date is absent or unreadable.
 */
export function secondsUntil(expirationDate: string | number | undefined, fallback: number, now = Date.now()): number {
  const at = expiryInstant(expirationDate);
  if (at === undefined) return Math.min(fallback, MAX_ANNOUNCED_SECONDS);
  return Math.min(Math.max(0, Math.floor((at - now) / 1000)), MAX_ANNOUNCED_SECONDS);
}

/**
 * Refuses a code that has expired or expires within `minRemainingValiditySeconds`: nothing is
 * sent for it, and no message announces validity it no longer has (messages count whole minutes,
 * at least 1). An absent or unreadable date is no refusal, as the format is unconfirmed: the
 * message then announces the fallback validity.
 * @throws ExpiredOtpError
 */
export function assertOtpStillValid(
  expirationDate: string | number | undefined,
  policy: { readonly minRemainingValiditySeconds: number },
  now = Date.now(),
): void {
  if (!otpStillValid(expirationDate, policy, now)) throw new ExpiredOtpError();
}

/** `assertOtpStillValid` as a question: false where it would throw. */
export function otpStillValid(
  expirationDate: string | number | undefined,
  policy: { readonly minRemainingValiditySeconds: number },
  now = Date.now(),
): boolean {
  const at = expiryInstant(expirationDate);
  return at === undefined || at - now >= policy.minRemainingValiditySeconds * 1000;
}
