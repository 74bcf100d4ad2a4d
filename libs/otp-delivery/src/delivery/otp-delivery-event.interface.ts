/**
 * A step of a delivery, on `OtpDeliveryEvents.events$`. Carries the masked destination and never
 * the code.
 * - `requested`: a channel is about to send; `sent`: its provider accepted; `failed`: it did not;
 * - `delivered` / `undelivered`: a CM.com status report about the SMS (by `deliveryId` = CM reference).
 */
export interface OtpDeliveryEvent {
  readonly type: 'requested' | 'sent' | 'failed' | 'delivered' | 'undelivered';
  readonly deliveryId: string;
  readonly channel: string;
  readonly destinationMasked: string;
  /** The tokenization session's `x-correlation-id`, when known. */
  readonly correlationId?: string;
  /** Why it failed (`timeout`, `rejected`, CM's status ...), for `failed` and `undelivered`. */
  readonly reason?: string;
  readonly at: Date;
}
