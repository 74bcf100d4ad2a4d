/**
 * A step of a delivery, on `OtpDeliveryEvents.events$`. Carries the masked destination and never
 * the code.
 * - `requested`: a channel is about to send; `sent`: its provider accepted; `failed`: it did not;
 * - `delivered` / `undelivered`: a CM.com status report about the SMS (by `deliveryId` = CM reference).
 */
export interface OtpDeliveryEvent {
  readonly type: 'requested' | 'sent' | 'failed' | 'delivered' | 'undelivered';
  readonly deliveryId: string;
  /** The channel's name; `unknown` when a delivery named none of the app's channels (`unknown-channel`). */
  readonly channel: string;
  readonly destinationMasked: string;
  /**
   * The tokenization session's `x-correlation-id`, when known: as given, unless it holds a phone
   * number, PAN or email address, which are masked as in the logs.
   */
  readonly correlationId?: string;
  /** Why it failed (`timeout`, `rejected`, CM's status, scrubbed ...), for `failed` and `undelivered`. */
  readonly reason?: string;
  readonly at: Date;
}
