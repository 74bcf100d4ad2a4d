/** Why a send was refused before it reached a provider. */
export type OtpSendRefusedReason = 'rate-limited' | 'country-not-allowed' | 'premium-rate' | 'not-mobile' | 'store-unavailable';

/** Which limit a `rate-limited` refusal hit. */
export type OtpRateLimitName = 'card' | 'destination' | 'client';

/**
 * A send was refused by the fraud and rate controls; nothing was sent. The message names the
 * reason (and the limit hit), never the card, the destination or the caller.
 */
export class OtpSendRefusedError extends Error {
  override readonly name = 'OtpSendRefusedError';
  /** For `rate-limited`: milliseconds until the exhausted window ends. */
  readonly retryAfterMs?: number;
  /** For `rate-limited`: the limit that was hit. */
  readonly limit?: OtpRateLimitName;

  constructor(
    readonly reason: OtpSendRefusedReason,
    details: {
      /** For `rate-limited`: milliseconds until the exhausted window ends. */
      retryAfterMs?: number;
      /** For `rate-limited`: the limit that was hit. */
      limit?: OtpRateLimitName;
      cause?: unknown;
    } = {},
  ) {
    super(`OTP send refused: ${reason}${details.limit ? ` (per ${details.limit})` : ''}`, { cause: details.cause });
    this.retryAfterMs = details.retryAfterMs;
    this.limit = details.limit;
  }
}
