/** A CM status report, normalised. */
export interface CmDeliveryReceipt {
  /** The `reference` sent with the message (our delivery id, hyphens removed). */
  readonly reference: string;
  /** CM status 0 accepted by the operator, 1 rejected, 2 delivered, 3 failed. */
  readonly status: 'accepted' | 'rejected' | 'delivered' | 'failed';
  /** The destination, masked (`*********5678`). */
  readonly destinationMasked: string;
  readonly cmStatusCode?: number;
  readonly cmErrorCode?: number;
  readonly cmErrorDescription?: string;
  /** When CM received the report from the operator (`received`), else when we parsed it. */
  readonly receivedAt: Date;
}
