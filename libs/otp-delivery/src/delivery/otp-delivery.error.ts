/** Why a code could not be delivered. */
export type OtpDeliveryFailure = 'invalid-destination' | 'unknown-channel' | 'rejected' | 'timeout' | 'cancelled' | 'unavailable';

/** One failed attempt of a delivery (the requested channel, then each fallback). */
export interface OtpDeliveryAttempt {
  readonly channel: string;
  readonly reason: OtpDeliveryFailure;
}

/**
 * A code could not be delivered. `reason` says why, `retryable` whether asking again may work,
 * `channel` which channel failed last. The message never holds the code or a full destination.
 */
export class OtpDeliveryError extends Error {
  override readonly name = 'OtpDeliveryError';

  constructor(
    /** Why the delivery failed. */
    readonly reason: OtpDeliveryFailure,
    /** The channel that failed (the last one tried). */
    readonly channel: string,
    /** The delivery's id (CM `reference`). */
    readonly deliveryId: string,
    /** Whether asking again may work. */
    readonly retryable: boolean,
    /** What the channel said, without the code or a full destination. */
    readonly detail?: string,
    /** Every failed attempt, in order, when fallbacks were tried. */
    readonly attempts: readonly OtpDeliveryAttempt[] = [{ channel, reason }],
    cause?: unknown,
  ) {
    super(`OTP delivery ${deliveryId} by ${channel} failed: ${reason}${detail ? ` (${detail})` : ''}`, { cause });
  }
}
