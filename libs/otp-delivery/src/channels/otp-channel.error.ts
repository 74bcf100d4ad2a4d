/** Why a channel could not hand a message to its provider. */
export type OtpChannelFailure = 'invalid-destination' | 'rejected' | 'unavailable';

/**
 * A channel's provider did not accept the message. Channels (the built-ins and the issuer's own)
 * throw it so the delivery service can tell a bad destination from a refusal or an outage.
 * The message must never contain the code or a full destination.
 *
 * @example throw new OtpChannelError('voice', 'unavailable', 'voice gateway answered 503', { retryable: true });
 */
export class OtpChannelError extends Error {
  override readonly name: string = 'OtpChannelError';
  /** Whether sending again later may work. */
  readonly retryable: boolean;

  constructor(
    /** The channel that failed, e.g. `sms`. */
    readonly channel: string,
    /** `invalid-destination`, `rejected` (the provider refused) or `unavailable` (it could not be reached). */
    readonly reason: OtpChannelFailure,
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable ?? reason === 'unavailable';
  }
}
