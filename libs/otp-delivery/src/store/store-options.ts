/** Where idempotency keys, rate counters, OTP sessions and delivery state live. */
export class StoreOptions {}
