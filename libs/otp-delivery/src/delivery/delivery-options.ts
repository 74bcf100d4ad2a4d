/** How one delivery runs: deadline, fallback between channels. */
export class DeliveryOptions {}
