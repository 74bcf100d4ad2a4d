import type { SecretValue } from '../common/secret-value.js';
import type { OtpDestinationKind } from '../limits/destination-kind.js';
import type { NormalizedPhoneNumber } from '../common/phone-number.js';

/** A rendered message ready for one channel. */
export interface OtpChannelMessage {
  /** Our delivery id: CM's `reference`, the email's Message-ID seed, the key of status reports. */
  readonly deliveryId: string;
  /** The checked destination: E.164 for a phone, a lower-case address for an email, as given for `any`. */
  readonly destination: string;
  /** The parsed number, for a channel that sends to phones: use it rather than parsing `destination` again. */
  readonly phone?: NormalizedPhoneNumber;
  /** SMS text, or the email's plain-text body. Contains the code: never log it. */
  readonly text: SecretValue;
  /** Email subject (email channels only). */
  readonly subject?: string;
  /** Email HTML body (email channels only). Contains the code: never log it. */
  readonly html?: SecretValue;
  /** Locale the message was rendered in, e.g. `ja-JP`. */
  readonly locale: string;
  /** Seconds the code stays valid: an SMS must not outlive it. */
  readonly validitySeconds?: number;
  /** Aborted when the delivery's deadline passes or the enrolment is cancelled. */
  readonly signal?: AbortSignal;
}

/** What a channel answers once the provider accepted the message. */
export interface OtpChannelReceipt {
  /** The provider's id or reference for the message, when it gives one. */
  readonly providerMessageId?: string;
  /** SMS parts, when known. */
  readonly parts?: number;
  /** When the provider accepted the message. */
  readonly acceptedAt: Date;
}

/**
 * A way to send an OTP message: SMS, email, or one of the issuer's own (voice, push, ...).
 * Implementations throw an `OtpChannelError` (or a subclass) when the message was not accepted.
 */
export interface OtpChannel {
  /** The name deliveries route by, e.g. `sms`, `email`, `voice`. */
  readonly name: string;
  /**
   * What this channel sends to, so every send is checked for it before it is counted and sent:
   * `phone` (parsed, vetted against the fraud rules, handed over in E.164), `email` (one plain
   * address) or `any` (the channel's own addressing, counted as given).
   * @default by name: `sms` phone, `email` email, any other name `any`
   */
  readonly destinationKind?: OtpDestinationKind;
  /** Sends the message; resolves with a receipt once the provider accepted it. */
  deliver(message: OtpChannelMessage): Promise<OtpChannelReceipt>;
}
