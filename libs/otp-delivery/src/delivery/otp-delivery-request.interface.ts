import type { SecretValue } from '../common/secret-value.js';
import type { CheckedDestination } from '../limits/otp-send-controls.service.js';

/** Context a template and the events may use. Nothing here is secret except what is marked. */
export interface OtpDeliveryContext {
  /** BCP 47 locale, e.g. `ja-JP`; falls back `ja-JP` -> `ja` -> the default locale. */
  readonly locale?: string;
  /** Last four PAN digits (a longer value is cut to four before rendering). */
  readonly panLastFour?: string;
  /** `APPLE_PAY`, `ANDROID_PAY`, `SPAYHCE`, ...: gives the wallet's display name. */
  readonly walletProviderId?: string;
  /** Seconds until the code expires: a whole number from 1 to 86,400, else the delivery is `rejected`. */
  readonly expiresInSeconds?: number;
  /** `x-correlation-id` of the tokenization session, carried on events and logs. */
  readonly correlationId?: string;
  /** Enrolment the delivery belongs to; `cancelEnrolment` stops its pending deliveries. */
  readonly enrolmentId?: string;
  /** Issuer-defined template variables. */
  readonly extras?: Readonly<Record<string, string>>;
}

/** One request to deliver a code. */
export interface OtpDeliveryRequest {
  /** The code to deliver unchanged. */
  readonly code: SecretValue;
  /** Channel name: `sms`, `email`, or an issuer-added one. */
  readonly channel: string;
  /** Phone number or email address, as the channel sends to (checked for it before anything is sent). */
  readonly destination: string;
  /**
   * Destinations of fallback channels, by channel name (e.g. `{ email: 'taro@example.com' }` when
   * `delivery.fallback` sends SMS failures to email). A fallback without one gets `destination`,
   * which is checked for that channel like any other: a phone number never goes to the email channel.
   */
  readonly destinations?: Readonly<Record<string, string>>;
  /**
   * The card (or D1 consumer) the code is for: the per-card limit counts it. Without it (or with
   * `null`, a nullable column's) only the per-destination and per-caller limits apply.
   * @example 'card-jp-0001'
   */
  readonly cardRef?: string;
  /**
   * Who asks for the send (an app, a back-office tool): the per-caller limit counts it. Sends
   * without one share one budget.
   * @example 'call-centre'
   */
  readonly clientId?: string;
  readonly context?: OtpDeliveryContext;
  /** Lets the caller abort (client gone, enrolment deleted). */
  readonly signal?: AbortSignal;
}

/**
 * @internal A request whose destination the module parsed already (the tokenization callbacks):
 * it is vetted and counted like any other, only not parsed again.
 */
export interface CheckedDeliveryRequest extends Omit<OtpDeliveryRequest, 'destination'> {
  readonly destination: string | CheckedDestination;
  /** The first hop's limits were counted already, in the same store step as the callback's claim. */
  readonly firstHopCounted?: boolean;
}
