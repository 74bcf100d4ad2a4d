/** What `OtpDeliveryService.deliver` answers once a channel's provider accepted the message. */
export interface OtpDeliveryReceipt {
  /** Our id of the delivery: CM's `reference`, the email's Message-ID, the key of status reports. */
  readonly deliveryId: string;
  /** The channel that delivered (a fallback's name when the first channel failed). */
  readonly channel: string;
  /** The destination, masked (`********5678`, `ta*****@example.com`). */
  readonly destinationMasked: string;
  /** When the provider accepted the message. */
  readonly acceptedAt: Date;
  /** SMS parts, when the channel knows them. */
  readonly parts?: number;
  /** The provider's id of the message, when it gives one. */
  readonly providerMessageId?: string;
}
